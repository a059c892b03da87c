package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/** Delayed jobs: never before their time, all of them eventually, no cap on how many. */
public class MemoryDriverDelayTest extends DriverTestSupport {

    @Test
    public void delayedJobWaitsForItsDelay() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        push(driver, message("later").delay(2).build());
        assertEquals(1, driver.state().delayed());
        assertEquals(0, driver.state().active());

        assertNull("not before its delay", queue.take(1, TimeUnit.SECONDS));

        Job job = queue.take(20, TimeUnit.SECONDS);
        assertEquals("later", job.name());
        assertEquals(0, driver.state().delayed());
        assertEquals(1, driver.state().reserved());
    }

    @Test
    public void aShorterDelayPushedLaterIsNotHeldBackByALongerOne() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        push(driver, message("slow").delay(3600).build());
        push(driver, message("quick").delay(1).build());

        Job job = queue.take(20, TimeUnit.SECONDS);
        assertEquals("quick", job.name());
        assertEquals(1, driver.state().delayed());
    }

    @Test
    public void delayedJobsThatComeDueWhilePausedWaitInTheBuffer() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = driver(queue);
        push(driver, message("later").delay(1).build());
        pushAll(driver, "now");

        eventually("the delayed job is due", () -> driver.state().delayed() == 0);
        assertEquals(2, driver.state().active());
        assertEquals(0, queue.size());

        driver.resume(PIPELINE);
        // ready later than 'now', so behind it among equal priorities
        assertEquals(List.of("now", "later"), names(queue.drain()));
    }

    @Test
    public void manyDelayedJobsAllComeThrough() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10_000);
        MemoryDriver driver = running(queue);
        int count = 5_000;
        for (int i = 0; i < count; i++) {
            push(driver, message("d" + i).delay(1 + i % 2).build());
        }
        assertEquals(count, driver.state().delayed());

        Set<String> seen = new HashSet<>();
        while (seen.size() < count) {
            Job job = queue.take(20, TimeUnit.SECONDS);
            if (job == null) {
                break;
            }
            seen.add(job.name());
            job.settle(Settlement.ack());
        }
        assertEquals(count, seen.size());
        assertEquals(0, driver.state().delayed());
        assertEquals(0, driver.state().reserved());
    }
}
