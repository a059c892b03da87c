package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/** Order, prefetch, pause and resume. */
public class MemoryDriverOrderTest extends DriverTestSupport {

    @Test
    public void lowerPriorityFirstAndFifoAmongEquals() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = driver(queue, "priority", "3");
        push(driver, msg("a", 5));
        push(driver, msg("b", 1));
        push(driver, msg("c", 5));
        push(driver, msg("d", 0)); // inherits the pipeline's priority 3
        push(driver, msg("e", 1));
        push(driver, msg("f", 3));
        assertEquals("not consuming yet", 0, queue.size());

        driver.run(pipeline("priority", "3"));

        List<Job> jobs = queue.drain();
        assertEquals(List.of("b", "e", "d", "f", "a", "c"), names(jobs));
        assertEquals(3, jobs.get(2).priority());
        assertEquals(5, jobs.get(4).priority());
    }

    @Test
    public void fifoAmongManyEqualJobs() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10_000);
        MemoryDriver driver = driver(queue);
        for (int i = 0; i < 5_000; i++) {
            push(driver, msg("j" + i));
        }
        driver.run(pipeline());
        List<Job> jobs = queue.drain();
        assertEquals(5_000, jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals("j" + i, jobs.get(i).name());
        }
    }

    @Test
    public void prefetchOneHandsOverOneJobAtATime() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "1");
        pushAll(driver, "a", "b", "c");
        assertEquals(1, queue.size());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 3, 0, 0, true, 10, ""), driver.state());

        Job a = queue.take();
        assertEquals("a", a.name());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 2, 0, 1, true, 10, ""), driver.state());
        assertNull("b waits until a is settled", queue.poll());
        a.settle(Settlement.ack());

        Job b = queue.take(5, TimeUnit.SECONDS);
        assertEquals("b", b.name());
        assertNull(queue.poll());
        b.settle(Settlement.reject());

        Job c = queue.take(5, TimeUnit.SECONDS);
        assertEquals("c", c.name());
        c.settle(Settlement.ack());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 0, 0, 0, true, 10, ""), driver.state());
        assertEquals(0, queue.size());
    }

    @Test
    public void prefetchLimitsJobsHandedToTheRuntime() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "3");
        for (int i = 0; i < 10; i++) {
            push(driver, msg("j" + i));
        }
        assertEquals(3, queue.size());
        assertEquals(10, driver.state().active());
        assertEquals(0, driver.state().reserved());

        queue.take();
        assertEquals("no ack yet: no fourth job handed over", 2, queue.size());
        assertEquals(9, driver.state().active());
        assertEquals(1, driver.state().reserved());
    }

    @Test
    public void pauseWithdrawsAndHoldsResumeReleasesInOrder() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a", "b", "c");
        assertEquals(3, queue.size());

        driver.pause(PIPELINE);
        assertEquals("withdrawn from the runtime's queue", 0, queue.size());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 3, 0, 0, false, 10, ""), driver.state());

        push(driver, msg("d", 1));
        push(driver, msg("e"));
        assertEquals("pushes are accepted but held while paused", 0, queue.size());
        assertEquals(5, driver.state().active());

        driver.resume(PIPELINE);
        assertEquals(List.of("d", "a", "b", "c", "e"), names(queue.drain()));
        assertTrue(driver.state().ready());
    }

    @Test
    public void pauseLeavesTakenJobsReserved() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a", "b");
        Job a = queue.take();

        driver.pause(PIPELINE);
        State state = driver.state();
        assertEquals(1, state.active());
        assertEquals(1, state.reserved());

        a.settle(Settlement.ack());
        assertEquals(0, driver.state().reserved());
        assertEquals("an ack does not move jobs while paused", 0, queue.size());
    }

    @Test
    public void pauseLeavesOtherPipelinesJobsInTheQueue() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        ForeignJob other = new ForeignJob("x", "other");
        queue.offer(other);
        pushAll(driver, "a");

        driver.pause(PIPELINE);

        assertEquals(List.of(other), queue.drain());
    }

    @Test
    public void bufferedJobsMoveWhenTheQueueFreesUpWithoutAnyAck() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 1);
        MemoryDriver driver = driver(queue);
        queue.insert(new ForeignJob("x", "other"));
        pushAll(driver, "a");
        driver.run(pipeline());
        assertEquals(1, driver.state().active());

        assertEquals("x", queue.take().name());

        // no job of this pipeline is at a worker, so only the driver's retry can move a now
        Job a = queue.take(20, TimeUnit.SECONDS);
        assertEquals("a", a == null ? null : a.name());
        assertEquals(0, driver.state().active());
        assertEquals(1, driver.state().reserved());
    }

    @Test
    public void jobExposesTheMessage() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        MemoryDriver driver = running(queue, "priority", "4");
        Message message = Message.builder("send-mail").id("id-1").pipeline(PIPELINE).payload("hello")
                .header("to", "a@b", "c@d").autoAck(true).build();
        push(driver, message);

        Job job = queue.take();
        assertEquals("id-1", job.id());
        assertEquals("send-mail", job.name());
        assertEquals(PIPELINE, job.groupId());
        assertEquals(4, job.priority());
        assertTrue(job.autoAck());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), job.body());
        assertEquals(List.of("a@b", "c@d"), job.headers().get("to"));
        assertEquals(message, job.context()); // an equal copy: the driver keeps the parts, not the message

        push(driver, message(("plain")).build());
        assertFalse(queue.take().autoAck());
    }

    @Test
    public void stateCountsJobsInTheRuntimesQueueAsActiveAndTakenOnesAsReserved() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "2");
        pushAll(driver, "a", "b", "c");
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 3, 0, 0, true, 10, ""), driver.state());

        Job a = queue.take();
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 2, 0, 1, true, 10, ""), driver.state());
        a.taken(); // telling again changes nothing
        assertEquals(1, driver.state().reserved());

        Job b = queue.extractMin(); // settled without being marked taken
        b.settle(Settlement.reject());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 1, 0, 1, true, 10, ""), driver.state());

        a.settle(Settlement.ack());
        queue.take().settle(Settlement.ack());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 0, 0, 0, true, 10, ""), driver.state());
    }
}
