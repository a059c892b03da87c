package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/** Acks, nacks and requeues: each job is settled once. */
public class MemoryDriverSettleTest extends DriverTestSupport {

    @Test
    public void aSecondAckFreesNoSecondSlot() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "2");
        pushAll(driver, "a", "b", "c", "d");
        Job a = queue.take();

        a.settle(Settlement.ack());
        a.settle(Settlement.ack());
        a.settle(Settlement.reject());
        a.settle(Settlement.requeue(a.headers(), 0));
        a.settle(Settlement.requeue(Map.of("x", List.of("1")), 0));

        assertEquals(List.of("b", "c"), names(queue.drain()));
    }

    @Test
    public void aRequeueAfterAckIsIgnored() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a");
        Job a = queue.take();
        a.settle(Settlement.ack());

        a.settle(Settlement.requeue(Map.of(), 0));
        a.settle(Settlement.requeue(a.headers(), 1));

        assertEquals(0, queue.size());
        assertEquals(0, driver.state().active());
        assertEquals(0, driver.state().delayed());
        assertEquals(0, driver.state().reserved());
    }

    @Test
    public void anAckAfterRequeueIsIgnored() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "1");
        pushAll(driver, "a", "b");
        Job a = queue.take();
        a.settle(Settlement.requeue(Map.of(), 0));
        Job b = queue.take();
        assertEquals("b", b.name());

        a.settle(Settlement.ack()); // must not free b's slot
        assertNull(queue.poll());
        assertEquals(1, driver.state().reserved());
    }

    @Test
    public void nackWithoutRequeueDropsTheJob() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "1");
        pushAll(driver, "a", "b");
        queue.take().settle(Settlement.reject());

        assertEquals("b", queue.take().name());
        assertEquals(0, driver.state().active());
        assertEquals(0, driver.state().delayed());
    }

    @Test
    public void requeueReplacesHeadersAndGoesBehindItsPriority() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "1");
        push(driver, message("a").header("old", "1").build());
        pushAll(driver, "b", "c");
        push(driver, msg("urgent", 1));
        Job a = queue.take();
        assertEquals("a", a.name());

        a.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0));

        Job next = queue.take();
        assertEquals("urgent", next.name());
        next.settle(Settlement.ack());
        next = queue.take();
        assertEquals("b", next.name());
        next.settle(Settlement.ack());
        next = queue.take();
        assertEquals("c", next.name());
        next.settle(Settlement.ack());
        Job again = queue.take();
        assertEquals("a", again.name());
        assertEquals("a", again.id());
        assertEquals(Map.of("attempt", List.of("2")), again.headers());
        assertEquals(Map.of("attempt", List.of("2")), again.context().headers());
        assertEquals(10, again.priority());
    }

    @Test
    public void requeueWithDelayWaitsThenComesBack() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a");
        Job a = queue.take();

        a.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 2));
        assertEquals(1, driver.state().delayed());
        assertEquals(0, driver.state().reserved());
        assertNull("not before its delay", queue.take(1, TimeUnit.SECONDS));

        Job again = queue.take(20, TimeUnit.SECONDS);
        assertEquals("a", again.name());
        assertEquals(List.of("2"), again.headers().get("attempt"));
        assertEquals(0, driver.state().delayed());
    }

    @Test
    public void nackWithRequeueAndDelayKeepsHeaders() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        push(driver, message("a").header("k", "v").build());
        Job a = queue.take();

        a.settle(Settlement.requeue(a.headers(), 2));
        assertEquals(1, driver.state().delayed());
        assertNull("not before its delay", queue.take(1, TimeUnit.SECONDS));

        Job again = queue.take(20, TimeUnit.SECONDS);
        assertEquals("a", again.name());
        assertEquals("v", again.context().header("k"));
    }

    @Test
    public void aNegativeRequeueDelayCannotBeExpressedAndTheJobStaysUnsettled() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "1");
        pushAll(driver, "a", "b");
        Job a = queue.take();
        try {
            a.settle(Settlement.requeue(Map.of(), -1));
            fail("a negative delay must be refused");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("-1"));
        }
        a.settle(Settlement.ack());
        assertEquals("b", queue.take().name());
    }
}
