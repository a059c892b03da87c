package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.osgijobs.api.JobsException;

/** A full runtime queue holds back the producer, not the driver. */
public class MemoryDriverBackPressureTest extends DriverTestSupport {

    @Test(timeout = 60_000)
    public void aFullQueueBlocksThePushUntilAJobIsTaken() throws Exception {
        TestQueue queue = new TestQueue(2);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a", "b");

        CompletableFuture<Void> third = new CompletableFuture<>();
        Thread producer = new Thread(() -> {
            push(driver, msg("c"));
            third.complete(null);
        });
        producer.start();
        eventually("the producer waits", () -> producer.getState() == Thread.State.WAITING);
        assertFalse("the push waits for room", third.isDone());
        assertEquals(2, queue.size());

        assertEquals("a", queue.take().name());

        third.get(20, TimeUnit.SECONDS);
        assertEquals(2, driver.state().active());
        assertEquals(1, driver.state().reserved());
        assertEquals(List.of("b", "c"), names(queue.drain()));
    }

    @Test(timeout = 60_000)
    public void anInterruptedPushFailsAndGivesItsSlotBack() throws Exception {
        TestQueue queue = new TestQueue(1);
        MemoryDriver driver = running(queue, "prefetch", "2");
        pushAll(driver, "a");
        AtomicReference<JobsException> error = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            error.set(failure(driver.push(msg("b"))));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        producer.start();
        eventually("the producer waits", () -> producer.getState() == Thread.State.WAITING);
        assertEquals(2, driver.state().active());

        producer.interrupt();
        producer.join(20_000);

        assertTrue(error.get().getMessage(), error.get().getMessage().contains("interrupted"));
        assertTrue(error.get().getMessage(), error.get().getMessage().startsWith("pipeline 'p'"));
        assertTrue("the interrupt stays visible to the caller", stillInterrupted.get());
        assertEquals(1, driver.state().active());
        assertEquals(List.of("a"), names(queue.drain()));
    }

    @Test(timeout = 60_000)
    public void aPauseWhileAProducerWaitsStillWithdrawsItsJob() throws Exception {
        TestQueue queue = new TestQueue(1);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a");
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> push(driver, msg("b")));
        eventually("the producer waits", () -> driver.state().active() == 2);

        driver.pause(PIPELINE); // withdraws a, which lets b in: b must come back as well
        blocked.get(20, TimeUnit.SECONDS);

        assertEquals(0, queue.size());
        assertEquals(2, driver.state().active());
        assertEquals(0, driver.state().reserved());
        driver.resume(PIPELINE);
        assertEquals(List.of("a"), names(queue.drain()));
    }
}
