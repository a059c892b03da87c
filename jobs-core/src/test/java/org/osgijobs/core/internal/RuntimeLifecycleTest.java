package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.osgijobs.core.internal.Eventually.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentConstants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.handler.JobHandler;

/**
 * The runtime's lifecycle promises, each on a path that lost, stalled or misled before the 1.0 contract: callbacks
 * that return at once, one shared stop deadline, operator calls from handlers, edits that keep pause and jobs,
 * driver swaps that producers do not see, and user stages that never complete on a driver's thread.
 */
public class RuntimeLifecycleTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final List<CountDownLatch> releaseAtEnd = new ArrayList<>();
    private long serviceIds = 100;
    private boolean started;

    private void start(Object... settings) {
        started = true;
        Map<String, Object> props = new HashMap<>(Map.of("num_workers", 2, "timeout", 5, "driver_wait", 5));
        for (int i = 0; i < settings.length; i += 2) {
            props.put((String) settings[i], settings[i + 1]);
        }
        addConstructor(drivers);
        runtime.activate(props);
    }

    @After
    public void stop() {
        releaseAtEnd.forEach(CountDownLatch::countDown);
        if (started) {
            runtime.deactivate();
        }
    }

    private void addConstructor(Constructor c) {
        runtime.addConstructor(c, Map.of(Constructor.DRIVER_NAME, c.name(), Constants.SERVICE_ID, serviceIds++));
    }

    private void handler(String name, JobHandler h) {
        runtime.addHandler(h, Map.of(JobHandler.JOB_NAME, name, Constants.SERVICE_ID, serviceIds++));
    }

    private void configure(String pid, String... kv) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_PID, pid);
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        runtime.configure(pid, props);
    }

    private void settle() throws Exception {
        runtime.awaitTransitions(20_000);
    }

    /** A latch released when the test ends, so that blocked handlers never outlive it. */
    private CountDownLatch gate() {
        CountDownLatch latch = new CountDownLatch(1);
        releaseAtEnd.add(latch);
        return latch;
    }

    private static Message job(String pipeline, String name, String payload) {
        return Message.builder(name).pipeline(pipeline).payload(payload).build();
    }


    @Test(timeout = 60_000)
    public void anEditWaitingForARunningJobHoldsBackNeitherOtherPipelinesNorPushes() throws Exception {
        start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = gate();
        handler("long", job -> {
            running.countDown();
            release.await();
        });
        configure("jobs.pipeline~edited", "name", "edited", "driver", "test");
        settle();
        runtime.push(job("edited", "long", ""));
        assertTrue(running.await(10, TimeUnit.SECONDS));

        long before = System.nanoTime();
        configure("jobs.pipeline~edited", "name", "edited", "driver", "test", "priority", "3");
        configure("jobs.pipeline~other", "name", "other", "driver", "test");
        assertTrue("configuration callbacks return at once",
                System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1));
        await("the other pipeline appears while the edit waits", () -> runtime.list().contains("other")
                && runtime.stat("other").ready());
        for (int i = 0; i < 5; i++) {
            runtime.push(job("edited", "x", "")); // pushes to the edited pipeline keep succeeding
        }
        assertEquals("the edit waits for the running job: " + runtime.stat("edited"), 10,
                runtime.stat("edited").priority());

        TestDriver servingBefore = drivers.last();
        release.countDown();
        // ready: served by the new driver (between the old driver's stop and the new one, the state says not ready)
        await("the edit applies once the job is done", () -> runtime.stat("edited").priority() == 3
                && runtime.stat("edited").ready());
        assertNotEquals("a new driver serves the edited pipeline", servingBefore, drivers.last());
        assertEquals(runtime.stats("edited").toString(), 6, runtime.stats("edited").pushed());
        assertEquals(runtime.stats("edited").toString(), 0, runtime.stats("edited").pushErrors());
    }

    @Test(timeout = 60_000)
    public void pipelinesStoppingTogetherShareOneDeadline() throws Exception {
        start("timeout", 2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch never = gate();
        handler("stuck", job -> {
            bothRunning.countDown();
            never.await();
        });
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        configure("jobs.pipeline~b", "name", "b", "driver", "test");
        settle();
        runtime.push(job("a", "stuck", ""));
        runtime.push(job("b", "stuck", ""));
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));

        long started = System.nanoTime();
        runtime.removeConstructor(drivers);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue("two stops in parallel take one timeout (2 s), not two: took " + tookMillis + " ms",
                tookMillis < 3_500);
        assertTrue(runtime.stat("a").errorMessage().contains("driver test unavailable"));
        assertTrue(runtime.stat("b").errorMessage().contains("driver test unavailable"));
    }

    @Test(timeout = 60_000)
    public void aHandlerMayPauseDeclareAndDestroyItsOwnPipelineWithoutDeadlock() throws Exception {
        start();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        handler("operate", job -> {
            try {
                runtime.pause(job.pipeline());
                runtime.declare(Map.of("name", "made-by-handler", "driver", "test"));
                runtime.resume(job.pipeline());
                runtime.destroy(job.pipeline());
                outcome.complete("returned");
            } catch (RuntimeException e) {
                outcome.complete("failed: " + e);
            }
        });
        configure("jobs.pipeline~self", "name", "self", "driver", "test");
        settle();
        runtime.push(job("self", "operate", ""));
        assertEquals("returned", outcome.get(10, TimeUnit.SECONDS));
        await("its pipeline is destroyed", () -> !runtime.list().contains("self"));
        await("the declared one exists", () -> runtime.list().contains("made-by-handler"));
    }

    @Test(timeout = 60_000)
    public void anEditKeepsTheOperatorsPauseAndARenameKeepsTheJobs() throws Exception {
        start();
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        settle();
        runtime.pause("a");
        runtime.push(job("a", "x", "1"));
        runtime.push(job("a", "x", "2"));
        configure("jobs.pipeline~a", "name", "a", "driver", "test", "priority", "4");
        settle();
        State edited = runtime.stat("a");
        assertFalse("still paused after the edit", edited.ready());
        assertEquals(2, edited.active());

        configure("jobs.pipeline~a", "name", "renamed", "driver", "test", "priority", "4");
        settle();
        assertEquals(List.of("renamed"), runtime.list());
        State renamed = runtime.stat("renamed");
        assertEquals("the jobs moved with the rename", 2, renamed.active());
        assertFalse("and the pause too", renamed.ready());
    }

    @Test(timeout = 60_000)
    public void editingConsumeAppliesItOverTheOperatorsChoice() throws Exception {
        start();
        configure("jobs.pipeline~a", "name", "a", "driver", "test");
        settle();
        runtime.pause("a");
        configure("jobs.pipeline~a", "name", "a", "driver", "test", "consume", "true");
        settle();
        assertTrue(runtime.stat("a").ready());
    }

    @Test(timeout = 60_000)
    public void aDriverSwapIsInvisibleToProducers() throws Exception {
        start();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        handler("count", job -> {
            ran.add(job.payloadAsString());
            runs.incrementAndGet();
        });
        configure("jobs.pipeline~s", "name", "s", "driver", "test");
        settle();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicInteger pushed = new AtomicInteger();
        CountDownLatch swapped = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                while (swapped.getCount() > 0 || pushed.get() < 200) {
                    runtime.push(job("s", "count", Integer.toString(pushed.getAndIncrement())));
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        producer.start();
        await("pushes flow", () -> pushed.get() > 50);
        TestDriver.Factory next = new TestDriver.Factory("test");
        runtime.removeConstructor(drivers); // the driver bundle goes away ...
        addConstructor(next); // ... and its update comes back
        swapped.countDown();
        producer.join(30_000);
        assertEquals("no push failed during the swap", null, failed.get());
        await("every accepted job ran", () -> ran.size() == pushed.get());
        assertEquals("each exactly once", pushed.get(), runs.get());
    }

    @Test(timeout = 60_000)
    public void pushAsyncStagesCompleteOnTheRuntimesThreadsNotTheDriversIoThread() throws Exception {
        start();
        java.util.concurrent.ExecutorService ioThread = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "broker-io"));
        CountDownLatch confirm = new CountDownLatch(1);
        Constructor async = new Constructor() {
            @Override
            public String name() {
                return "async";
            }

            @Override
            public Driver create(DriverContext context) {
                return new TestDriver(context.pipeline(), context.queue()) {
                    @Override
                    public synchronized java.util.concurrent.CompletionStage<Void> push(Message message) {
                        // the broker confirms later, on its own thread
                        return CompletableFuture.runAsync(() -> {
                            try {
                                confirm.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, ioThread);
                    }
                };
            }
        };
        addConstructor(async);
        configure("jobs.pipeline~io", "name", "io", "driver", "async");
        settle();
        CompletableFuture<String> where = new CompletableFuture<>();
        runtime.pushAsync(job("io", "a", "")).thenRun(() -> {
            where.complete(Thread.currentThread().getName());
            confirm.countDown(); // b's confirm comes from the I/O thread, which must be free to send it
            runtime.push(job("io", "b", "")); // blocking here must not stall the driver's thread
        });
        assertFalse("the confirm has not come yet", where.isDone());
        confirm.countDown();
        String thread = where.get(5, TimeUnit.SECONDS);
        assertNotEquals("broker-io", thread);
        assertTrue(thread, thread.startsWith("jobs-callback"));
        ioThread.shutdownNow();
    }

    @Test(timeout = 60_000)
    public void aPipelineThatADriverRefusedGetsAnotherTryWhenAConstructorOfItsKindRegistersAgain() throws Exception {
        start();
        configure("jobs.pipeline~r", "name", "r", "driver", "test", "test_option", "x");
        settle();
        assertTrue(runtime.stat("r").errorMessage().contains("test_option"));
        runtime.removeConstructor(drivers);
        Constructor lenient = new TestDriver.Factory("test") {
            @Override
            public Driver create(DriverContext context) {
                return new TestDriver(context.pipeline(), context.queue()); // its configuration changed: accepts it
            }
        };
        addConstructor(lenient);
        settle();
        State served = runtime.stat("r");
        assertEquals("", served.errorMessage());
        assertTrue(served.ready());
    }

    @Test(timeout = 60_000)
    public void aJobThatNoHandlerTakesIsDroppedAfterItsRoundsInsteadOfLoopingForEver() throws Exception {
        start();
        configure("jobs.pipeline~lost", "name", "lost", "driver", "test", "no_handler_delay", "0",
                "no_handler_rounds", "3");
        settle();
        runtime.push(job("lost", "nobody.handles.me", ""));
        await("dropped after its rounds", () -> drivers.last().settled.stream().anyMatch(j -> "nack".equals(j.outcome)));
        TestJob last = drivers.last().settled.get(0);
        assertEquals("2", last.message.headers().get("x-jobs-no-handler-rounds").get(0));
        assertEquals(3, runtime.stats("lost").noHandler());
    }

    @Test(timeout = 60_000)
    public void aRestartKeepsWhatTheOperatorDeclaredAndPausedAndDestroyForgetsIt() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("operator-state").resolve("state");
        Map<String, Object> settings = Map.of("num_workers", 1, "timeout", 5);
        JobsRuntime first = new JobsRuntime();
        first.addConstructor(drivers, Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, 1L));
        first.activate(settings, OperatorState.load(file));
        first.declare(Map.of("name", "declared", "driver", "test", "priority", "3"));
        first.declare(Map.of("name", "gone", "driver", "test"));
        first.configure("jobs.pipeline~c", Map.of(Constants.SERVICE_PID, "jobs.pipeline~c", "name", "configured",
                "driver", "test"));
        first.awaitTransitions(10_000);
        first.resume("declared");
        first.pause("configured");
        first.destroy("gone");
        first.deactivate();

        JobsRuntime second = new JobsRuntime();
        second.activate(settings, OperatorState.load(file)); // its driver comes after: restored pipelines wait
        second.configure("jobs.pipeline~c", Map.of(Constants.SERVICE_PID, "jobs.pipeline~c", "name", "configured",
                "driver", "test"));
        second.addConstructor(new TestDriver.Factory("test"), Map.of(Constructor.DRIVER_NAME, "test",
                Constants.SERVICE_ID, 2L));
        try {
            second.awaitTransitions(10_000);
            assertEquals(List.of("configured", "declared"), second.list());
            assertTrue("the declared pipeline was resumed: it consumes", second.stat("declared").ready());
            assertEquals(3, second.stat("declared").priority());
            assertFalse("the configured pipeline was paused: it stays paused", second.stat("configured").ready());
        } finally {
            second.deactivate();
        }
    }

    @Test(timeout = 60_000)
    public void aJobTakenWhileThePipelineStopsRunsUnderItsPipelineInsteadOfBeingDropped() throws Exception {
        CountDownLatch pauseEntered = new CountDownLatch(1);
        CountDownLatch releasePause = gate();
        Constructor slowToPause = new TestDriver.Factory("slow") {
            @Override
            public Driver create(DriverContext context) {
                return new TestDriver(context.pipeline(), context.queue()) {
                    @Override
                    public void pause(String name) {
                        pauseEntered.countDown(); // the runtime is stopping: intake stops next, once we return
                        try {
                            releasePause.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        super.pause(name);
                    }
                };
            }
        };
        start("num_workers", 1);
        addConstructor(slowToPause);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        handler("*", job -> {
            if (job.payloadAsString().equals("first")) {
                pauseEntered.await(); // the only worker is busy until the stop has begun
            }
            ran.add(job.payloadAsString());
        });
        configure("jobs.pipeline~s", "name", "s", "driver", "slow");
        settle();
        runtime.push(job("s", "x", "first"));
        runtime.push(job("s", "x", "second")); // waits in the shared queue for the worker
        Thread stopper = new Thread(runtime::deactivate, "test-stopper");
        stopper.start();
        await("the job taken after the stop began ran", () -> ran.contains("second"));
        releasePause.countDown();
        stopper.join(20_000);
        started = false; // deactivated here
        assertEquals(List.of("first", "second"), ran);
    }

    @Test(timeout = 60_000)
    public void everyBadPipelineConfigurationHasAStatRowNamingItsError() throws Exception {
        start();
        configure("jobs.pipeline~nodriver", "name", "nodriver");
        configure("jobs.pipeline~cases", "name", "cases", "driver", "test", "priority", "3", "Priority", "4");
        settle();
        State noDriver = runtime.stat("nodriver");
        assertEquals("(none)", noDriver.driver());
        assertTrue(noDriver.errorMessage(), noDriver.errorMessage().contains("option 'driver' is required"));
        assertTrue(runtime.stat("cases").errorMessage(), runtime.stat("cases").errorMessage()
                .contains("options 'Priority' and 'priority' differ only in case"));
        JobsException refused = assertThrows(JobsException.class, () -> runtime.push(job("nodriver", "x", "")));
        assertEquals(JobsException.Kind.BAD_INPUT, refused.kind());
        assertTrue("never served", drivers.built.stream().noneMatch(d -> d.pipeline.name().equals("cases")));
    }

    @Test(timeout = 60_000)
    public void aConfigurationWaitingForATakenNameTakesItOverWhenTheHolderIsDeleted() throws Exception {
        start();
        configure("jobs.pipeline~first", "name", "shared", "driver", "test", "priority", "3");
        configure("jobs.pipeline~second", "name", "shared", "driver", "test", "priority", "7");
        settle();
        assertEquals("the first keeps the name", 3, runtime.stat("shared").priority());
        runtime.unconfigure("jobs.pipeline~first");
        await("the second takes the name over", () -> runtime.list().contains("shared")
                && runtime.stat("shared").priority() == 7 && runtime.stat("shared").ready());
        runtime.unconfigure("jobs.pipeline~second");
        await("and goes with its configuration", () -> !runtime.list().contains("shared"));
    }

    @Test(timeout = 60_000)
    public void aConstructorWithoutAnyNameIsIgnored() {
        start();
        Constructor nameless = new TestDriver.Factory(null);
        runtime.addConstructor(nameless, Map.of(Constants.SERVICE_ID, serviceIds++));
        assertEquals(List.of(), runtime.list());
        JobsException e = assertThrows(JobsException.class,
                () -> runtime.declare(Map.of("name", "x", "driver", "test2")));
        assertTrue(e.getMessage(), e.getMessage().contains("registered: test)"));
    }

    @Test
    public void aPipelineComponentDestroysItsPipelineOnlyWhenItsConfigurationIsDeleted() {
        List<String> unconfigured = new ArrayList<>();
        PipelineRegistry registry = new PipelineRegistry() {
            @Override
            public void configure(String pid, Map<String, ?> props) {
            }

            @Override
            public void unconfigure(String pid) {
                unconfigured.add(pid);
            }
        };
        PipelineConfiguration component = new PipelineConfiguration(registry,
                Map.of(Constants.SERVICE_PID, "jobs.pipeline~a"));
        for (int reason : new int[] { ComponentConstants.DEACTIVATION_REASON_DISABLED,
                ComponentConstants.DEACTIVATION_REASON_DISPOSED, ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED,
                ComponentConstants.DEACTIVATION_REASON_REFERENCE,
                ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED }) {
            component.deactivate(reason);
        }
        assertEquals(List.of(), unconfigured);
        component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of("jobs.pipeline~a"), unconfigured);
    }

    @Test(timeout = 60_000)
    public void theMetatypeDefaultOfNumWorkersMeansOnePerCpu() {
        assertEquals(Runtime.getRuntime().availableProcessors(),
                RuntimeSettings.of(Map.of("num_workers", 0)).numWorkers());
    }
}
