package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.osgijobs.core.internal.Eventually.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;

/** The runtime's behaviour on plain Java, with a minimal test driver; Felix-level tests live in itests. */
public class JobsRuntimeTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private long serviceIds = 100;

    @Before
    public void start() {
        addConstructor(drivers);
        runtime.activate(Map.of("num_workers", 2, "timeout", 5, "driver_wait", 1));
    }

    @After
    public void stop() {
        runtime.deactivate();
    }

    private void addConstructor(Constructor c) {
        runtime.addConstructor(c, Map.of(Constructor.DRIVER_NAME, c.name(), Constants.SERVICE_ID, serviceIds++));
        settle();
    }

    /** Lifecycle transitions run on the runtime's own threads: wait until those queued so far are done. */
    private void settle() {
        try {
            runtime.awaitTransitions(10_000);
        } catch (Exception e) {
            throw new AssertionError("transitions did not settle", e);
        }
    }

    private JobHandler handler(String name, int ranking, JobHandler h) {
        runtime.addHandler(h, Map.of(JobHandler.JOB_NAME, name, Constants.SERVICE_RANKING, ranking,
                Constants.SERVICE_ID, serviceIds++));
        return h;
    }

    private void configure(String pid, String... kv) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_PID, pid);
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        runtime.configure(pid, props);
        settle();
    }

    private static Message job(String pipeline, String name, String payload) {
        return Message.builder(name).pipeline(pipeline).payload(payload).build();
    }


    @Test
    public void aConfiguredPipelineConsumesAndItsJobsAreAckedAfterTheHandlerReturns() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        handler("greet", 0, job -> seen.add(job.pipeline() + ":" + job.payloadAsString() + ":" + job.attempt()));
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        runtime.push(job("a", "greet", "hello"));
        assertEquals("a:hello:1", seen.poll(10, TimeUnit.SECONDS));
        await("ack", () -> drivers.last().settled.size() == 1);
        assertEquals("ack", drivers.last().settled.get(0).outcome);
        PipelineStats stats = runtime.stats("a");
        assertEquals(1, stats.pushed());
        assertEquals(1, stats.processed());
        assertTrue(runtime.stat("a").ready());
    }

    @Test
    public void theTimeoutOptionIsHandedToDrivers() {
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        assertEquals(5, drivers.last().pipeline.getInt("timeout", 0));
        configure("jobs.pipeline~b", "name", "b", "driver", "test", "timeout", "9");
        assertEquals(9, drivers.last().pipeline.getInt("timeout", 0));
    }

    @Test
    public void aConfigurationWithoutNameIsNamedAfterItsFileElseAfterItsFactoryConfigurationName() {
        assertEquals("orders", JobsRuntime.defaultName("jobs.pipeline~x", "file:/opt/conf/jobs.pipeline-orders.cfg"));
        assertEquals("x", JobsRuntime.defaultName("jobs.pipeline~x", null));
        assertEquals("jobs.pipeline.7f3a", JobsRuntime.defaultName("jobs.pipeline.7f3a", null));
        assertEquals("jobs.pipeline~", JobsRuntime.defaultName("jobs.pipeline~", null));
        Map<String, Object> props = new HashMap<>(Map.of(Constants.SERVICE_PID, "jobs.pipeline~x", "driver", "test",
                "felix.fileinstall.filename", "file:/opt/conf/jobs.pipeline-orders.cfg"));
        runtime.configure("jobs.pipeline~x", props);
        settle();
        assertEquals(List.of("orders"), runtime.list());
    }

    @Test
    public void destroyOfAPipelineFromAFileIsRefusedNamingTheFile() {
        configure("jobs.pipeline~f", "driver", "test",
                "felix.fileinstall.filename", "file:/opt/jobs/conf/jobs.pipeline-from-file.cfg");
        JobsException refused = assertThrows(JobsException.class, () -> runtime.destroy("from-file"));
        assertEquals(JobsException.Kind.BAD_INPUT, refused.kind());
        assertTrue(refused.getMessage(), refused.getMessage().contains(
                "pipeline 'from-file' comes from the file /opt/jobs/conf/jobs.pipeline-from-file.cfg: delete that file"));
        assertTrue("still there", runtime.list().contains("from-file"));
        assertTrue(runtime.stat("from-file").ready());

        configure("jobs.pipeline~g", "name", "not-from-a-file", "driver", "test");
        runtime.destroy("not-from-a-file"); // a configuration made through ConfigAdmin may still be destroyed
        assertFalse(runtime.list().contains("not-from-a-file"));
    }

    @Test
    public void aPipelineWhoseDriverConsumesNothingIsAnnouncedAsPushOnlyNotAsConsuming() throws Exception {
        String log = standardErrorOf(() -> {
            configure("jobs.pipeline~po", "name", "po", "driver", "test", "test_push_only", "true");
            configure("jobs.pipeline~c", "name", "c", "driver", "test");
            configure("jobs.pipeline~p", "name", "p", "driver", "test", "consume", "false");
        });
        assertTrue(log, log.contains(
                "pipeline 'po' created from configuration (test driver, push-only: its driver consumes nothing)"));
        assertTrue(log, log.contains("pipeline 'c' created from configuration (test driver, consuming)"));
        assertTrue(log, log.contains("pipeline 'p' created from configuration (test driver, paused)"));
    }

    @Test
    public void anUnknownKeyIsWarnedOfOncePerConfigurationWithTheNearestKnownKey() {
        String log = standardErrorOf(() -> {
            configure("jobs.pipeline~u", "driver", "test", "priorty", "5", "name", " typo ",
                    "felix.fileinstall.filename", "file:/opt/jobs/conf/jobs.pipeline-typo.cfg");
            configure("jobs.pipeline~u", "driver", "test", "priorty", "5", "retry_delay", "2", "name", " typo ",
                    "felix.fileinstall.filename", "file:/opt/jobs/conf/jobs.pipeline-typo.cfg");
            // SCR adds this one to every component's properties: the framework's, not an option
            configure("jobs.pipeline~v", "name", "fine", "driver", "test", "priority", "5",
                    "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)");
        });
        String warning = "WARN org.osgijobs.core.internal.JobsRuntime - pipeline 'typo' (file "
                + "/opt/jobs/conf/jobs.pipeline-typo.cfg): unknown key 'priorty' (nearest known key: 'priority'); "
                + "ignored unless its driver reads it";
        assertEquals(log, 1, occurrences(log, warning));
        assertEquals(log, 1, occurrences(log, "unknown key"));
        assertEquals("a warning only", 10, runtime.stat("typo").priority());
        assertFalse("not handed to the driver", drivers.last().pipeline.has("osgi.ds.satisfying.condition.target"));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** @return what the runtime logged (slf4j-simple writes to System.err) while the action ran */
    private static String standardErrorOf(Runnable action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    public void declaredPipelinesStartPausedAndFollowPauseResumeDestroy() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        handler("work", 0, job -> runs.incrementAndGet());
        runtime.declare(Map.of("name", "d", "driver", "test", "priority", "3"));
        assertEquals(List.of("d"), runtime.list());
        State state = runtime.stat("d");
        assertEquals(3, state.priority());
        assertFalse(state.ready());
        runtime.push(job("d", "work", ""));
        Thread.sleep(300);
        assertEquals("not processed while paused", 0, runs.get());
        runtime.resume("d");
        await("processed after resume", () -> runs.get() == 1);
        runtime.pause("d");
        runtime.push(job("d", "work", ""));
        Thread.sleep(300);
        assertEquals(1, runs.get());
        assertEquals(1, runtime.stat("d").active());
        runtime.resume("d");
        await("processed after the second resume", () -> runs.get() == 2);
        runtime.destroy("d");
        assertTrue(runtime.list().isEmpty());
        JobsException e = assertThrows(JobsException.class, () -> runtime.push(job("d", "work", "")));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown pipeline 'd'"));
    }

    @Test
    public void aFailingJobIsRetriedWithBackoffThenDeadLetteredWithItsAttemptCount() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        BlockingQueue<JobContext> dead = new LinkedBlockingQueue<>();
        handler("boom", 0, job -> {
            if (job.pipeline().equals("dlq")) {
                dead.add(job);
                return;
            }
            attempts.incrementAndGet();
            throw new IllegalStateException("always fails");
        });
        configure("jobs.pipeline~dlq", "name", "dlq", "driver", "test");
        configure("jobs.pipeline~w", "name", "w", "driver", "test", "max_attempts", "3", "retry_delay", "2",
                "dead_letter_pipeline", "dlq");
        runtime.push(job("w", "boom", "x"));
        JobContext letter = dead.poll(10, TimeUnit.SECONDS);
        assertNotNull("dead-lettered", letter);
        assertEquals(3, attempts.get());
        assertEquals(3, letter.attempt());
        assertEquals("w", letter.header(Dispatcher.DEAD_LETTER_FROM_HEADER));
        assertTrue(letter.header(Dispatcher.ERROR_HEADER).contains("always fails"));
        TestDriver w = drivers.built.stream().filter(d -> d.pipeline.name().equals("w")).findFirst().get();
        assertEquals("backoff delays", List.of(2, 4), w.requeueDelays);
        await("counters", () -> runtime.stats("w").deadLettered() == 1);
        assertEquals(3, runtime.stats("w").failed());
        assertEquals(2, runtime.stats("w").requeued());
    }

    @Test
    public void aJobOverItsTimeoutIsCancelledCountedAndRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        List<Boolean> cancelledSeen = new ArrayList<>();
        handler("slow", 0, job -> {
            if (attempts.incrementAndGet() == 1) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    cancelledSeen.add(job.isCancelled());
                    throw e;
                }
            } else {
                second.countDown();
            }
        });
        configure("jobs.pipeline~t", "name", "t", "driver", "test", "job_timeout", "1", "retry_delay", "0");
        runtime.push(job("t", "slow", ""));
        assertTrue("retried after the timeout", second.await(15, TimeUnit.SECONDS));
        assertEquals(List.of(true), cancelledSeen);
        await("counted", () -> runtime.stats("t").timedOut() == 1 && runtime.stats("t").processed() == 1);
    }

    @Test
    public void aHandlerLeavingMidJobGetsItsJobRequeuedToAnotherHandler() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobHandler leaving = handler("long", 10, job -> {
            started.countDown();
            Thread.sleep(30_000);
        });
        BlockingQueue<String> other = new LinkedBlockingQueue<>();
        handler("long", 0, job -> other.add(job.id()));
        configure("jobs.pipeline~h", "name", "h", "driver", "test");
        Message m = job("h", "long", "");
        runtime.push(m);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        runtime.removeHandler(leaving);
        assertEquals(m.id(), other.poll(10, TimeUnit.SECONDS));
        await("counted", () -> runtime.stats("h").processed() == 1 && runtime.stats("h").requeued() == 1);
    }

    @Test
    public void aJobWithoutHandlerIsRequeuedWithItsDelayAndCountedUntilOneArrives() throws Exception {
        // the test driver ignores delays, so the rounds go fast: allow many more than it takes to add the handler
        configure("jobs.pipeline~n", "name", "n", "driver", "test", "no_handler_delay", "7", "no_handler_rounds",
                "100000000");
        runtime.push(job("n", "orphan", ""));
        await("counted and requeued", () -> runtime.stats("n").noHandler() >= 1
                && runtime.stats("n").requeued() >= 1 && !drivers.last().requeueDelays.isEmpty());
        assertEquals(7, (int) drivers.last().requeueDelays.get(0));
        CountDownLatch handled = new CountDownLatch(1);
        handler("orphan", 0, job -> handled.countDown());
        assertTrue(handled.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void theDriverLeavingHoldsItsJobsAndTheNextInstanceGetsEachExactlyOnce() throws Exception {
        configure("jobs.pipeline~q", "name", "q", "driver", "test", "consume", "false");
        for (int i = 0; i < 100; i++) {
            runtime.push(job("q", "count", Integer.toString(i)));
        }
        runtime.removeConstructor(drivers);
        State away = runtime.stat("q");
        assertEquals(100, away.active());
        assertTrue(away.errorMessage(), away.errorMessage().contains("driver test unavailable"));
        JobsException e = assertThrows(JobsException.class, () -> runtime.push(job("q", "count", "")));
        assertTrue(e.getMessage(), e.getMessage().contains("pipeline 'q': driver test unavailable"));

        Map<String, Integer> seen = new ConcurrentHashMap<>();
        handler("count", 0, job -> seen.merge(job.payloadAsString(), 1, Integer::sum));
        TestDriver.Factory next = new TestDriver.Factory("test");
        addConstructor(next);
        assertEquals(100, next.last().waiting.size());
        runtime.resume("q");
        await("all processed", () -> seen.size() == 100);
        Thread.sleep(100);
        assertTrue("each exactly once", seen.values().stream().allMatch(n -> n == 1));
        assertEquals("", runtime.stat("q").errorMessage());
    }

    @Test
    public void reconfiguringRestartsThePipelineWithTheNewOptionsAndKeepsItsJobs() throws Exception {
        configure("jobs.pipeline~r", "name", "r", "driver", "test", "consume", "false");
        runtime.push(job("r", "x", ""));
        configure("jobs.pipeline~r", "name", "r", "driver", "test", "consume", "false", "priority", "4");
        assertEquals(2, drivers.built.size());
        assertTrue(drivers.built.get(0).stopped);
        assertEquals(4, runtime.stat("r").priority());
        assertEquals(1, runtime.stat("r").active());
        runtime.unconfigure("jobs.pipeline~r");
        settle();
        assertTrue(runtime.list().isEmpty());
    }

    @Test
    public void badInputGetsErrorsThatNameTheProblemAndOtherPipelinesKeepWorking() throws Exception {
        CountDownLatch ok = new CountDownLatch(1);
        handler("ok", 0, job -> ok.countDown());
        configure("jobs.pipeline~good", "name", "good", "driver", "test");

        configure("jobs.pipeline~nodriver", "name", "nodriver", "driver", "nosuch");
        assertTrue(runtime.stat("nodriver").errorMessage().contains("driver nosuch unavailable"));
        configure("jobs.pipeline~badprio", "name", "badprio", "driver", "test", "priority", "high");
        assertTrue(runtime.stat("badprio").errorMessage(), runtime.stat("badprio").errorMessage()
                .contains("pipeline 'badprio': option 'priority' must be an integer, got 'high'"));
        JobsException badPush = assertThrows(JobsException.class, () -> runtime.push(job("badprio", "ok", "")));
        assertTrue(badPush.getMessage().contains("option 'priority'"));
        configure("jobs.pipeline~badopt", "name", "badopt", "driver", "test", "test_option", "x");
        assertTrue(runtime.stat("badopt").errorMessage(),
                runtime.stat("badopt").errorMessage().contains("option 'test_option' must be an integer"));

        assertMessage("unknown pipeline 'nope'", () -> runtime.push(job("nope", "ok", "")));
        assertMessage("job name must not be empty", () -> Message.builder(" ").build());
        assertMessage("no pipeline given", () -> runtime.push(Message.builder("ok").build()));
        assertMessage("pipeline 'good' already exists",
                () -> runtime.declare(Map.of("name", "good", "driver", "test")));
        assertMessage("unknown driver 'nosuch'", () -> runtime.declare(Map.of("name", "x", "driver", "nosuch")));
        assertMessage("option 'driver' is required", () -> runtime.declare(Map.of("name", "x")));
        assertMessage("option 'priority' must be an integer",
                () -> runtime.declare(Map.of("name", "x", "driver", "test", "priority", "abc")));
        assertMessage("over max_job_size", () -> runtime.push(
                Message.builder("ok").pipeline("good").payload(new byte[16 * 1024 * 1024 + 1]).build()));
        assertMessage("unknown pipeline 'ghost'", () -> runtime.pause("ghost"));

        runtime.push(job("good", "ok", ""));
        assertTrue("the good pipeline still works", ok.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void asynchronousAndBatchPushesReportEachOutcome() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        handler("*", 0, job -> runs.incrementAndGet());
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        runtime.pushAsync(job("a", "x", "")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CompletionException failed = assertThrows(CompletionException.class,
                () -> runtime.pushAsync(job("zzz", "x", "")).toCompletableFuture().join());
        assertTrue(failed.getCause() instanceof JobsException);
        List<PushResult> results = runtime.pushBatch(List.of(job("a", "x", ""), job("zzz", "x", ""),
                job("a", "y", "")));
        assertTrue(results.get(0).ok());
        assertFalse(results.get(1).ok());
        assertTrue(results.get(1).error().getMessage().contains("unknown pipeline 'zzz'"));
        assertTrue(results.get(2).ok());
        assertNull(results.get(2).error());
        await("all run", () -> runs.get() == 3);
    }

    @Test
    public void aSecondConstructorForOneNameWaitsAsStandByAndTakesOver() throws Exception {
        configure("jobs.pipeline~s", "name", "s", "driver", "test");
        TestDriver.Factory standBy = new TestDriver.Factory("test");
        addConstructor(standBy);
        assertTrue("the first constructor keeps serving", standBy.built.isEmpty());
        runtime.removeConstructor(drivers);
        settle();
        assertEquals("the stand-by serves once the first leaves", 1, standBy.built.size());
        assertTrue(runtime.stat("s").ready());
    }

    @Test
    public void aHandlerMayRequeueWithHeadersOrRejectIntoTheDeadLetterPipeline() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        handler("decide", 0, job -> {
            seen.add(job.pipeline() + ":" + job.header("step"));
            if (job.pipeline().equals("main")) {
                if (job.header("step") == null) {
                    job.requeue(Map.of("step", List.of("two")), 0);
                } else {
                    job.nack(false, 0);
                }
            }
        });
        configure("jobs.pipeline~dead", "name", "dead", "driver", "test");
        configure("jobs.pipeline~main", "name", "main", "driver", "test", "dead_letter_pipeline", "dead");
        runtime.push(job("main", "decide", ""));
        assertEquals("main:null", seen.poll(10, TimeUnit.SECONDS));
        assertEquals("main:two", seen.poll(10, TimeUnit.SECONDS));
        assertEquals("dead:two", seen.poll(10, TimeUnit.SECONDS));
    }

    @Test
    public void changingTheWorkerCountAtRuntimeTakesEffect() throws Exception {
        CountDownLatch allRunning = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        handler("block", 0, job -> {
            allRunning.countDown();
            release.await();
        });
        configure("jobs.pipeline~b", "name", "b", "driver", "test");
        for (int i = 0; i < 4; i++) {
            runtime.push(job("b", "block", ""));
        }
        assertFalse("two workers run two jobs", allRunning.await(300, TimeUnit.MILLISECONDS));
        runtime.modified(Map.of("num_workers", 4, "timeout", 5));
        assertTrue("four workers run four jobs", allRunning.await(10, TimeUnit.SECONDS));
        release.countDown();
    }

    private static void assertMessage(String expected, org.junit.function.ThrowingRunnable action) {
        JobsException e = assertThrows(JobsException.class, action);
        assertTrue("'" + e.getMessage() + "' should contain '" + expected + "'", e.getMessage().contains(expected));
    }
}
