package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.osgijobs.core.internal.Eventually.await;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.ScriptedDriver;

/**
 * The lifecycle of one pipeline across driver swaps, driven step by step with a scripted driver: no job is
 * stranded, held jobs come before new pushes, an edit keeps pushes working, invalid options never get a driver.
 */
public class ManagedPipelineTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ScriptedDriver.Factory constructor = new ScriptedDriver.Factory();
    private final Host host = new Host();

    @After
    public void stopThreads() {
        threads.shutdownNow();
        timer.shutdownNow();
    }

    /** The runtime as far as one pipeline sees it. */
    private final class Host implements PipelineHost {
        volatile boolean driverPresent = true;

        @Override
        public int timeoutSeconds() {
            return 5;
        }

        @Override
        public long driverWaitNanos() {
            return TimeUnit.SECONDS.toNanos(5);
        }

        @Override
        public Optional<DriverRegistry.Entry> constructor(String driverName) {
            return driverPresent ? Optional.of(new DriverRegistry.Entry("scripted", constructor, 1))
                    : Optional.empty();
        }

        @Override
        public String registeredDrivers() {
            return driverPresent ? "scripted" : "";
        }

        @Override
        public PriorityJobQueue queue() {
            return new PriorityJobQueue(10);
        }

        @Override
        public Executor callbacks() {
            return threads;
        }

        @Override
        public void later(Runnable task, long delayMillis) {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void post(String topic, Map<String, Object> props) {
        }
    }

    private static Pipeline definition(String... options) {
        Map<String, String> map = new java.util.HashMap<>(Map.of("name", "p", "driver", "scripted"));
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return Pipeline.of(map);
    }

    private ManagedPipeline pipeline(String problem) {
        Pipeline def = definition();
        return new ManagedPipeline("p", ManagedPipeline.Origin.DECLARED, null, def, PipelineOptions.of(def), problem,
                true, host, new Lane("p", threads));
    }

    private static Message job(String id) {
        return Message.builder("work").id(id).pipeline("p").build();
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    }

    @Test(timeout = 30_000)
    public void aJobKeptWhileItsDriverIsSwappedReachesTheNextDriver() throws Exception {
        ScriptedDriver first = new ScriptedDriver("first");
        ScriptedDriver second = new ScriptedDriver("second");
        constructor.prepare(first, second);
        ManagedPipeline p = pipeline(null);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);

        // the first driver takes the kept job's push but only answers after it has been replaced
        CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
        first.onPush(m -> firstAnswer);
        p.keep(job("kept"));
        p.lane.run(() -> p.stopDriver(deadline(), "swap")).get(5, TimeUnit.SECONDS);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        firstAnswer.completeExceptionally(new JobsException("first driver stopped"));

        await("the kept job reaches a driver", () -> !second.received().isEmpty());
        assertEquals("the kept job went to the next driver", List.of("kept"), second.receivedIds());
        assertEquals("and is not stranded in the held backlog", 0, p.heldCount());
    }

    @Test(timeout = 30_000)
    public void heldJobsReachTheNewDriverBeforeAnyNewPush() throws Exception {
        ScriptedDriver first = new ScriptedDriver("first");
        first.handBack(List.of(job("h1"), job("h2")));
        ScriptedDriver second = new ScriptedDriver("second");
        CountDownLatch restoring = new CountDownLatch(1);
        CompletableFuture<Void> releaseRestore = new CompletableFuture<>();
        second.onPush(m -> {
            if (m.id().equals("h1")) {
                restoring.countDown();
                return releaseRestore;
            }
            return CompletableFuture.completedFuture(null);
        });
        constructor.prepare(first, second);
        ManagedPipeline p = pipeline(null);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        p.lane.run(() -> p.stopDriver(deadline(), "swap")).get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> started = p.lane.run(p::start);
        assertTrue(restoring.await(5, TimeUnit.SECONDS));

        CompletableFuture<Void> newPush = p.push(job("new")).toCompletableFuture();
        assertFalse("a new push waits while held jobs are restored", newPush.isDone());
        releaseRestore.complete(null);
        started.get(5, TimeUnit.SECONDS);
        newPush.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("h1", "h2", "new"), second.pushOrder());
    }

    /**
     * A bounded driver (max_jobs) only makes room by running jobs: a held backlog larger than its bound must not wait
     * for room in a driver that is not consuming yet (it used to, until the push timeout, with new pushes failing).
     */
    @Test(timeout = 30_000)
    public void aHeldBacklogLargerThanTheNewDriversBoundGoesInBecauseItConsumesFirst() throws Exception {
        ScriptedDriver first = new ScriptedDriver("first");
        first.handBack(List.of(job("h1"), job("h2"), job("h3")));
        CompletableFuture<Void> room = new CompletableFuture<>();
        // consuming, it has room for the jobs beyond its bound as soon as the first ones run
        ScriptedDriver second = new ScriptedDriver("second").onRun(() -> room.complete(null));
        second.onPush(m -> m.id().equals("h1") ? CompletableFuture.completedFuture(null) : room);
        constructor.prepare(first, second);
        ManagedPipeline p = pipeline(null);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        p.lane.run(() -> p.stopDriver(deadline(), "swap")).get(5, TimeUnit.SECONDS);

        p.lane.run(p::start).get(5, TimeUnit.SECONDS);

        assertEquals("every held job went into the new driver at its start", 0, p.heldCount());
        assertEquals(List.of("h1", "h2", "h3"), second.receivedIds());
        assertEquals("it consumed before the backlog was restored", "run", second.calls().get(0));
        p.push(job("new")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("h1", "h2", "h3", "new"), second.pushOrder());
    }

    @Test(timeout = 30_000)
    public void pushesKeepSucceedingWhileAnEditWaitsForARunningJob() throws Exception {
        ScriptedDriver first = new ScriptedDriver("first");
        ScriptedDriver second = new ScriptedDriver("second");
        constructor.prepare(first, second);
        ManagedPipeline p = pipeline(null);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        p.counters.runStarted(); // a job runs in a handler

        Pipeline edited = definition("priority", "4");
        CompletableFuture<Void> edit = p.lane.run(() -> p.redefine(edited, PipelineOptions.of(edited), null,
                deadline()));
        assertTrue("intake stops first", first.paused().await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            p.push(job("during-" + i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertFalse("the edit waits for the running job", edit.isDone());
        p.counters.runEnded();
        edit.get(5, TimeUnit.SECONDS);

        assertEquals("the pushes made during the edit went on to the new driver", 10, second.received().size());
        assertEquals(4, p.definition().priority());
        assertEquals(PipelinePhase.RUNNING, p.phase());
    }

    @Test(timeout = 30_000)
    public void anInvalidPipelineNeverGetsADriverAndPushesFailNamingTheOption() throws Exception {
        ManagedPipeline p = pipeline("pipeline 'p': option 'max_attempts' must be an integer from -2147483648 to 2147483647, got 'x'");
        p.lane.run(p::start).get(5, TimeUnit.SECONDS); // a driver arrives: it must not be used
        assertTrue(constructor.built().isEmpty());
        assertEquals(PipelinePhase.INVALID, p.phase());
        JobsException e = failure(p);
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("option 'max_attempts'"));
        assertTrue(p.state().errorMessage().contains("max_attempts"));
    }

    @Test(timeout = 30_000)
    public void aPushWhileTheDriverIsAwayWaitsForItsReturn() throws Exception {
        ManagedPipeline p = pipeline(null);
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        host.driverPresent = false;
        p.lane.run(() -> p.stopDriver(deadline(), "driver scripted unavailable")).get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> waiting = p.push(job("w")).toCompletableFuture();
        assertFalse(waiting.isDone());
        host.driverPresent = true;
        p.lane.run(p::start).get(5, TimeUnit.SECONDS);
        assertNull(waiting.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("w"), constructor.built().get(1).receivedIds());
    }

    private static JobsException failure(ManagedPipeline p) {
        try {
            p.push(job("x")).toCompletableFuture().join();
        } catch (CompletionException e) {
            return (JobsException) e.getCause();
        }
        throw new AssertionError("the push succeeded");
    }
}
