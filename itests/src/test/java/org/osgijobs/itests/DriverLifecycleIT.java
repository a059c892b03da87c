package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.Ledger;

/**
 * The memory driver bundle stopped, started, updated, uninstalled and installed again while pipelines hold jobs
 * and producers push: pipelines report the driver unavailable, come back by themselves, and lose no job.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverLifecycleIT extends ItestSupport {
    private static final String DRIVER = "org.osgijobs.driver-memory";
    private static final String UNAVAILABLE = "driver memory unavailable";
    /** Pushes the steady producer must get accepted before and after a driver change. */
    private static final int PUSHES_EACH_SIDE = 200;

    private static String driverLocation;

    /** A failed test must not leave the next one without a driver. */
    @After
    public void driverIsBack() throws BundleException {
        Bundle driver = findDriver();
        if (driver == null && driverLocation != null) {
            driver = bundleContext.installBundle(driverLocation);
        }
        if (driver != null && driver.getState() != Bundle.ACTIVE) {
            driver.start();
        }
    }

    @Test
    public void stoppedDriverHoldsQueuedJobsAndItsPipelinesComeBackWhenItStarts() throws Exception {
        Jobs jobs = jobs();
        EventRecorder events = EventRecorder.start(this);
        Ledger ledger = new Ledger("itest driver-memory stop and start");
        RecordingHandler handler = new RecordingHandler(ledger);
        registerHandler(handler, "drv.job");
        createPipelineConfig("drv-configured", Map.of("driver", "memory"));
        declare(memoryPipeline("drv-declared"));
        jobs.resume("drv-declared");
        awaitState("drv-configured", "ready", State::ready);

        // queued when the driver goes: ready jobs in the (paused) declared pipeline, delayed ones in the consuming
        // configured pipeline
        jobs.pause("drv-declared");
        List<String> readyJobs = new ArrayList<>();
        List<String> delayedJobs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            readyJobs.add(push("drv-declared", "drv.job", "ready " + i));
            Message delayed = Message.builder("drv.job").pipeline("drv-configured").delay(5).build();
            jobs.push(delayed);
            delayedJobs.add(delayed.id());
        }
        readyJobs.forEach(ledger::accepted);
        delayedJobs.forEach(ledger::accepted);

        Bundle driver = driver();
        driver.stop();

        for (String pipeline : List.of("drv-configured", "drv-declared")) {
            State s = jobs.stat(pipeline);
            assertTrue(pipeline + " reports the driver unavailable: " + s, s.errorMessage().contains(UNAVAILABLE));
            assertFalse(pipeline + " is not ready: " + s, s.ready());
            assertEquals(pipeline + " holds its 50 queued jobs: " + s, 50, s.active());
            JobsException refused = expectThrows(JobsException.class, () -> push(pipeline, "drv.job", ""));
            assertTrue("push error names the cause: " + refused.getMessage(),
                    refused.getMessage().contains(UNAVAILABLE) && refused.getMessage().contains(pipeline));
        }
        assertEquals("no job ran while the driver was away (the delayed ones were not due yet)", 0,
                handler.count());
        await("driver/REMOVED and pipeline/UNAVAILABLE events; got " + events.topics(),
                () -> events.has("jobs/driver/REMOVED", "driver", "memory")
                        && events.has("jobs/pipeline/UNAVAILABLE", "pipeline", "drv-configured"));

        driver.start();

        awaitState("drv-configured", "consuming again without help", s -> s.ready() && s.errorMessage().isEmpty());
        awaitState("drv-declared", "back, and paused as it was", s -> !s.ready() && s.errorMessage().isEmpty());
        await("the 50 delayed jobs run after their delay", () -> delayedJobs.stream().allMatch(id -> handler.runsOf(id) > 0));
        jobs.resume("drv-declared");
        await("the 50 ready jobs run after resume", () -> readyJobs.stream().allMatch(id -> handler.runsOf(id) > 0));
        String fresh = push("drv-configured", "drv.job", "after");
        ledger.accepted(fresh);
        await("a new push runs", () -> handler.runsOf(fresh) == 1);
        System.out.printf("%s%n", ledger.summary());
        // every job ran exactly once: the 101 accepted ones ran, nothing else ran, nothing twice
        assertEquals(101, ledger.acceptedCount());
        ledger.assertNoneLost();
        ledger.assertOnlyAcceptedRan();
        // no job was running when the driver stopped (the ready ones were paused, the delayed ones not due): the
        // runtime held them and the next driver got each once
        ledger.assertDuplicatesAtMost(0, "no job was running when the driver stopped");
        await("driver/ADDED event; got " + events.topics(), () -> events.has("jobs/driver/ADDED", "driver", "memory"));
    }

    @Test
    public void bundleUpdateUnderSteadyLoadLosesNoJob() throws Throwable {
        steadyLoadSurvives("update", () -> driver().update());
    }

    @Test
    public void uninstallAndInstallUnderSteadyLoadLosesNoJob() throws Throwable {
        steadyLoadSurvives("reinstall", () -> {
            Bundle old = driver();
            String location = old.getLocation();
            old.uninstall();
            await("the old driver bundle is gone", () -> findDriver() == null);
            bundleContext.installBundle(location).start();
        });
    }

    private void steadyLoadSurvives(String prefix, ThrowingRunnable driverChange) throws Throwable {
        Jobs jobs = jobs();
        Ledger ledger = new Ledger("itest driver-memory " + prefix + " under steady load");
        // slower than the producer, so that jobs are queued when the driver changes
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(5));
        registerHandler(handler, prefix + ".job");
        String configured = prefix + "-configured";
        String declared = prefix + "-declared";
        createPipelineConfig(configured, Map.of("driver", "memory"));
        declare(memoryPipeline(declared));
        jobs.resume(declared);
        awaitState(configured, "ready", State::ready);

        try (SteadyPusher pusher = SteadyPusher.start(jobs, prefix + ".job", List.of(configured, declared), ledger)) {
            await("pushes accepted before the driver change", () -> pusher.acceptedCount() >= PUSHES_EACH_SIDE);
            int queuedBefore = (int) (jobs.stat(configured).active() + jobs.stat(configured).reserved());

            driverChange.run();

            awaitState(configured, "consuming again", s -> s.ready() && s.errorMessage().isEmpty());
            awaitState(declared, "consuming again", s -> s.ready() && s.errorMessage().isEmpty());
            int acceptedAtReturn = pusher.acceptedCount();
            await("pushes accepted after the driver change",
                    () -> pusher.acceptedCount() >= acceptedAtReturn + PUSHES_EACH_SIDE);
            assertTrue("jobs were queued when the driver changed (else the test proves little): " + queuedBefore,
                    queuedBefore > 0);
            pusher.close();
        }

        // every accepted job ran
        ledger.awaitAllAcceptedRan(DEADLINE);
        System.out.printf("%s%n", ledger.summary());
        ledger.assertNoneLost();
        // no job ran twice: the runtime hands the old driver's queued jobs to the next one, and its running jobs
        // finished (and were acked) before it stopped
        ledger.assertDuplicatesAtMost(0, "the driver changed in an orderly way: no job runs twice");
        ledger.assertOnlyAcceptedRan();
        // the driver is away for milliseconds: pushes wait for the next one (driver_wait) instead of failing
        ledger.assertNoRefusals("no push may fail while the driver bundle changes");
    }

    private Bundle driver() {
        Bundle driver = bundle(DRIVER);
        if (driverLocation == null) {
            driverLocation = driver.getLocation();
        }
        return driver;
    }

    private Bundle findDriver() {
        for (Bundle b : bundleContext.getBundles()) {
            if (DRIVER.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
