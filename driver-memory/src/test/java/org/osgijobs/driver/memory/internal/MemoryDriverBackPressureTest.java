package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/**
 * Bounded memory: a full runtime queue never blocks a push (the job is buffered); a full pipeline ({@code max_jobs})
 * makes pushes wait for room up to the pipeline's timeout, a bounded number at once, then fail naming the bound.
 */
public class MemoryDriverBackPressureTest extends DriverTestSupport {

    @Test(timeout = 60_000)
    public void aFullRuntimeQueueBuffersThePushInsteadOfBlockingTheCaller() throws Exception {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 2);
        MemoryDriver driver = running(queue);
        List<CompletionStage<Void>> stages = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            stages.add(driver.push(msg(name)));
        }
        for (CompletionStage<Void> stage : stages) {
            assertTrue("stored at once", stage.toCompletableFuture().isDone());
        }
        assertEquals(2, queue.size());
        assertEquals(3, driver.state().active());

        Job a = queue.poll();
        a.taken();
        a.settle(Settlement.ack());
        eventually("c moves into the queue once there is room", () -> queue.size() == 2);
        assertEquals(List.of("b", "c"), names(queue.drain()));
    }

    @Test(timeout = 60_000)
    public void aFullPipelineMakesThePushWaitThenFailNamingTheBound() throws Exception {
        MemoryDriver paused = driver(new TestQueue(DriverTestSupport.PIPELINE, 10), "max_jobs", "3", "timeout", "1");
        pushAll(paused, "a", "b", "c");
        CompletableFuture<Void> fourth = paused.push(msg("d")).toCompletableFuture();
        assertFalse("waits for room", fourth.isDone());

        JobsException e = failure(fourth);
        assertEquals(JobsException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': full: 3 jobs wait in it (max_jobs=3)"));
        assertEquals("the refused job is not kept", 3, paused.state().active());
    }

    @Test(timeout = 60_000)
    public void roomMadeWhileAPushWaitsLetsItInInOrder() throws Exception {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        MemoryDriver driver = running(queue, "max_jobs", "2", "prefetch", "1");
        pushAll(driver, "a", "b", "c"); // a in the queue, b and c buffered: full
        CompletableFuture<Void> d = driver.push(msg("d")).toCompletableFuture();
        assertFalse(d.isDone());

        Job a = queue.poll();
        a.taken();
        a.settle(Settlement.ack()); // b moves on, which makes room for d
        d.get(20, TimeUnit.SECONDS);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Job next = queue.poll(20, TimeUnit.SECONDS);
            order.add(next.name());
            next.taken();
            next.settle(Settlement.ack());
        }
        assertEquals(List.of("b", "c", "d"), order);
    }

    @Test(timeout = 60_000)
    public void pushesBeyondTheWaitingBoundFailAtOnce() {
        MemoryDriver paused = driver(new TestQueue(DriverTestSupport.PIPELINE, 10), "max_jobs", "1", "timeout", "30");
        pushAll(paused, "a");
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < MemoryDriver.MAX_WAITING_PUSHES; i++) {
            waiting.add(paused.push(msg("w" + i)).toCompletableFuture());
        }
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
        CompletableFuture<Void> over = paused.push(msg("over")).toCompletableFuture();
        assertTrue("fails without waiting", over.isCompletedExceptionally());
        assertTrue(failure(over).getMessage().contains("max_jobs=1"));
    }

    @Test(timeout = 60_000)
    public void stopHandsBackThePushesThatWaitedAndCompletesThem() {
        MemoryDriver paused = driver(new TestQueue(DriverTestSupport.PIPELINE, 10), "max_jobs", "1", "timeout", "30");
        pushAll(paused, "a");
        CompletableFuture<Void> b = paused.push(msg("b")).toCompletableFuture();
        List<Message> handedBack = paused.stop();
        assertEquals(List.of("a", "b"), names(handedBack));
        assertTrue("the runtime keeps it: the push succeeded", b.isDone() && !b.isCompletedExceptionally());
    }

    @Test(timeout = 120_000)
    public void atTheProductionDefaultsAPausedPipelineTakesMaxJobsThenRefusesNamingItsBound() {
        // the defaults, but a 1 s timeout so that the refusal comes quickly
        MemoryDriver paused = driver(new TestQueue(DriverTestSupport.PIPELINE, 100_000), "timeout", "1");
        for (int i = 0; i < MemoryDriver.DEFAULT_MAX_JOBS; i++) {
            assertTrue(paused.push(message("j" + i).build()).toCompletableFuture().isDone());
        }
        assertEquals(MemoryDriver.DEFAULT_MAX_JOBS, paused.state().active());
        JobsException e = failure(paused.push(msg("one-too-many")));
        assertTrue(e.getMessage(), e.getMessage().contains("full: 100000 jobs wait in it (max_jobs=100000)"));
        assertEquals(MemoryDriver.DEFAULT_MAX_JOBS, paused.state().active());
    }

    @Test
    public void maxJobsMustBePositive() {
        try {
            driver(new TestQueue(DriverTestSupport.PIPELINE, 10), "max_jobs", "0");
        } catch (JobsException e) {
            assertEquals("pipeline 'p': option 'max_jobs' must be at least 1, got '0'", e.getMessage());
            return;
        }
        throw new AssertionError("max_jobs=0 accepted");
    }
}
