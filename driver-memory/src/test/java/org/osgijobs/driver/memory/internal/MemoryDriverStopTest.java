package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.TestQueue;

/** Stop hands every held job back, in order, and the driver refuses work afterwards. */
public class MemoryDriverStopTest extends DriverTestSupport {

    @Test
    public void stopReturnsQueuedBufferedAndDelayedJobsInOrder() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue, "prefetch", "3");
        push(driver, msg("taken", 5));
        push(driver, msg("q1", 5));
        push(driver, msg("q2", 7));
        push(driver, msg("b1", 5)); // beyond prefetch: buffered
        push(driver, msg("b2", 1));
        push(driver, msg("b3", 0)); // the pipeline's priority, 10
        push(driver, message("d60").delay(60).build());
        push(driver, message("d30").delay(30).priority(1).build());
        Job taken = queue.take();
        assertEquals("taken", taken.name());

        List<Message> held = driver.stop();

        assertEquals(List.of("b2", "q1", "b1", "q2", "b3", "d30", "d60"), names(held));
        for (Message m : held.subList(0, 5)) {
            assertEquals(m.name() + " is ready", 0, m.delay());
            assertEquals(PIPELINE, m.pipeline());
        }
        int d30 = held.get(5).delay();
        int d60 = held.get(6).delay();
        assertTrue("remaining delay rounded up: " + d30, d30 > 0 && d30 <= 30);
        assertTrue("remaining delay rounded up: " + d60, d60 > 30 && d60 <= 60);
        assertEquals("b3 keeps its own priority 0: the next driver resolves it", 0, held.get(4).priority());
        assertEquals("the runtime's queue no longer holds the driver's jobs", 0, queue.size());
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 0, 0, 1, false, 10, ""), driver.state());
    }

    @Test
    public void stopReturnsRequeuedJobsWithTheirNewHeaders() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a");
        queue.take().settle(Settlement.requeue(Map.of("attempt", List.of("2")), 60));

        List<Message> held = driver.stop();

        assertEquals(1, held.size());
        assertEquals("2", held.get(0).header("attempt"));
        assertTrue(held.get(0).delay() > 0);
    }

    @Test
    public void afterStopPushesFailClearlyAndTakenJobsCannotGoBack() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a", "b", "c");
        Job a = queue.take();
        Job b = queue.take();
        Job c = queue.take();
        driver.stop();

        JobsException error = failure(driver.push(msg("late")));
        assertEquals("pipeline 'p': memory driver is stopped", error.getMessage());
        failure(driver.push(message("late").delay(5).build()));

        assertEquals("after stop nobody else holds the job: the runtime keeps a copy", Custody.RUNTIME,
                a.settle(Settlement.requeue(Map.of(), 1)));
        assertEquals("only the first settlement counts", Custody.DONE, a.settle(Settlement.requeue(a.headers(), 0)));
        assertEquals(Custody.DONE, a.settle(Settlement.ack()));
        assertEquals(Custody.DONE, b.settle(Settlement.reject()));
        assertEquals(Custody.DONE, c.settle(Settlement.reject()));
        assertEquals("settled already: ignored, not refused", Custody.DONE,
                c.settle(Settlement.requeue(Map.of(), 1)));
        assertEquals(0, driver.state().reserved());
        assertEquals(0, queue.size());
    }

    @Test
    public void stopIsIdempotentAndEndsConsumptionForGood() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = driver(queue);
        pushAll(driver, "a");
        assertEquals(1, driver.stop().size());
        assertEquals(List.of(), driver.stop());

        driver.pause(PIPELINE); // harmless
        try {
            driver.resume(PIPELINE);
            fail("resume after stop must throw");
        } catch (JobsException e) {
            assertEquals("pipeline 'p': memory driver is stopped", e.getMessage());
        }
        try {
            driver.run(pipeline());
            fail("run after stop must throw");
        } catch (JobsException e) {
            assertEquals("pipeline 'p': memory driver is stopped", e.getMessage());
        }
        assertFalse(driver.state().ready());
    }

    @Test
    public void delayedJobsDoNotComeThroughAfterStop() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 100);
        MemoryDriver driver = running(queue);
        push(driver, message("d").delay(1).build());
        assertEquals(1, driver.stop().size());
        assertEquals(null, queue.take(2, TimeUnit.SECONDS));
    }

    @Test(timeout = 60_000)
    public void aJobBufferedBecauseTheQueueWasFullIsHandedBackAtStop() throws Exception {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 1);
        queue.insert(new ForeignJob("x", "other"));
        MemoryDriver driver = running(queue);
        push(driver, msg("a")); // the queue is full: buffered, and the push returns at once

        assertEquals(List.of("a"), names(driver.stop()));
        assertEquals("x", queue.take().name());
        assertEquals(null, queue.take(1, TimeUnit.SECONDS));
    }

    @Test
    public void aJobLeftInTheQueueByAStoppedDriverIsAdoptedByTheNextOne() throws Exception {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        MemoryDriver first = running(queue);
        first.stop();
        // a push that raced the stop: its job reached the queue after the stop had withdrawn the others
        queue.insert(MemoryJob.of(first, msg("orphan"), 10, 0, 0));
        assertEquals(1, queue.size());

        MemoryDriver second = running(queue);
        second.pause(PIPELINE);

        assertEquals(0, queue.size());
        assertEquals(1, second.state().active());
        assertEquals(List.of("orphan"), names(second.stop()));
    }

    @Test
    public void pauseAndStopPutOtherDriversJobsOfTheSamePipelineBack() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        ForeignJob foreign = new ForeignJob("broker-job", PIPELINE);
        queue.offer(foreign);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a");

        driver.pause(PIPELINE);
        assertEquals(List.of(foreign), queue.drain());
        assertEquals(1, driver.state().active());

        queue.offer(foreign);
        assertEquals(List.of("a"), names(driver.stop()));
        assertEquals(List.of(foreign), queue.drain());
        assertEquals(0, foreign.requeues);
    }

    @Test
    public void aFailingQueueDoesNotCostTheBufferedJobsOnStop() {
        TestQueue real = new TestQueue(DriverTestSupport.PIPELINE, 10);
        Queue failing = new DelegatingQueue(real) {
            @Override
            public List<Job> withdraw() {
                throw new IllegalStateException("queue closed");
            }
        };
        MemoryDriver driver = new MemoryDriver(pipeline(), failing, timer);
        pushAll(driver, "a", "b");

        assertEquals(List.of("a", "b"), names(driver.stop()));
        failure(driver.push(msg("c")));
    }

    @Test
    public void anotherDriversJobThatFindsNoRoomGoesBackToItsDriver() {
        TestQueue real = new TestQueue(DriverTestSupport.PIPELINE, 10);
        ForeignJob foreign = new ForeignJob("broker-job", PIPELINE);
        real.offer(foreign);
        Queue refusing = new DelegatingQueue(real) {
            @Override
            public boolean offer(Job job) {
                return false; // someone else took the room in the meantime
            }
        };
        MemoryDriver driver = new MemoryDriver(pipeline(), refusing, timer);

        driver.pause(PIPELINE);

        assertEquals(1, foreign.requeues);
        assertEquals(0, real.size());
        assertEquals(0, driver.state().active());
    }
}
