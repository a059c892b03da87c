package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.Ledger;

import static org.ops4j.pax.exam.CoreOptions.composite;

/**
 * The local durable driver on a real Felix: its order, its delays across a restart of the driver, a bundle update
 * under steady load, and a pipeline whose configuration is deleted and created again on the same file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocalDriverIT extends ItestSupport {
    private static final String DRIVER = "org.osgijobs.driver-local";
    private static final int PUSHES_EACH_SIDE = 200;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.localDriver(), ItestBundles.testSupport());
    }

    /** A failed test must not leave the next one without a driver. */
    @After
    public void driverIsActive() throws BundleException {
        Bundle driver = bundle(DRIVER);
        if (driver.getState() != Bundle.ACTIVE) {
            driver.start();
        }
    }

    private static Map<String, Object> local(String... keyValues) {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("driver", "local");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    @Test
    public void jobsComeOutByPriorityThenInPushOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "order.job");
        // prefetch 1: one job at a worker at a time, so the order of runs is the driver's order
        createPipelineConfig("local-order", local("prefetch", "1", "consume", "false"));
        awaitState("local-order", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        Jobs jobs = jobs();
        List<String> expected = new ArrayList<>();
        List<String> low = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.push(Message.builder("order.job").pipeline("local-order").priority(20).payload("low-" + i).build());
            low.add("low-" + i);
            jobs.push(Message.builder("order.job").pipeline("local-order").priority(1).payload("high-" + i).build());
            expected.add("high-" + i);
        }
        expected.addAll(low);
        jobs.resume("local-order");
        await("20 runs", () -> handler.count() == 20);
        List<String> ran = new ArrayList<>();
        handler.runs().forEach(run -> ran.add(run.payload()));
        assertEquals("priority first, push order among equals", expected, ran);
    }

    @Test
    public void aDelayedJobRunsAfterItsDelayAcrossARestartOfTheDriver() throws Exception {
        Ledger ledger = new Ledger("itest driver-local delay across a restart");
        RecordingHandler handler = new RecordingHandler(ledger);
        registerHandler(handler, "delay.job");
        createPipelineConfig("local-delay", local());
        awaitState("local-delay", "consuming", State::ready);
        Jobs jobs = jobs();
        Message delayed = Message.builder("delay.job").pipeline("local-delay").delay(3).build();
        long pushed = System.nanoTime();
        jobs.push(delayed);
        ledger.accepted(delayed.id());

        Bundle driver = bundle(DRIVER);
        driver.stop();
        awaitState("local-delay", "without its driver", s -> !s.ready());
        driver.start();
        State back = awaitState("local-delay", "back with the job still delayed",
                s -> s.ready() && s.errorMessage().isEmpty());
        assertTrue("the job ran before its delay, at " + elapsedMillis(pushed) + " ms: " + back,
                handler.runsOf(delayed.id()) == 0);

        await("the delayed job runs", () -> handler.runsOf(delayed.id()) == 1);
        long ranAfter = TimeUnit.NANOSECONDS.toMillis(handler.runsOfJob(delayed.id()).get(0).startNanos() - pushed);
        assertTrue("ran " + ranAfter + " ms after its push, before its 3 s delay", ranAfter >= 3000);
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "nothing ran when the driver restarted");
    }

    @Test
    public void bundleUpdateUnderSteadyLoadLosesAndRepeatsNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-local update under steady load");
        // much slower than the producer (2 workers: 100 jobs/s), so that jobs wait in the file when the driver changes
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(20));
        registerHandler(handler, "update.job");
        createPipelineConfig("local-update", local("prefetch", "20"));
        awaitState("local-update", "consuming", State::ready);
        Jobs jobs = jobs();
        try (SteadyPusher pusher = SteadyPusher.start(jobs, "update.job", List.of("local-update"), ledger)) {
            await("pushes accepted before the update", () -> pusher.acceptedCount() >= PUSHES_EACH_SIDE);
            long waiting = jobs.stat("local-update").active();

            bundle(DRIVER).update();

            awaitState("local-update", "consuming again", s -> s.ready() && s.errorMessage().isEmpty());
            int acceptedAtReturn = pusher.acceptedCount();
            await("pushes accepted after the update", () -> pusher.acceptedCount() >= acceptedAtReturn + PUSHES_EACH_SIDE);
            assertTrue("jobs waited in the file at the update (else the test proves little): " + waiting, waiting > 0);
        }
        ledger.awaitAllAcceptedRan(DEADLINE);
        System.out.printf("%s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "a graceful update runs no job twice: running jobs finished before the stop");
        ledger.assertOnlyAcceptedRan();
        ledger.assertNoRefusals("pushes wait for the next driver (driver_wait) instead of failing");
    }

    @Test
    public void aPipelineDeletedAndCreatedAgainOnTheSameFileRunsTheJobsTheFileKept() throws Exception {
        Ledger ledger = new Ledger("itest driver-local delete and re-create");
        RecordingHandler handler = new RecordingHandler(ledger);
        registerHandler(handler, "again.job");
        Configuration first = createPipelineConfig("local-again",
                local("file", "again.db", "consume", "false"));
        awaitState("local-again", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        Jobs jobs = jobs();
        for (int i = 0; i < 25; i++) {
            Message m = Message.builder("again.job").pipeline("local-again").payload("kept " + i).build();
            jobs.push(m);
            ledger.accepted(m.id());
        }
        deleteConfig(first);
        await("the pipeline is gone", () -> jobs.list().stream().noneMatch("local-again"::equals));
        assertEquals("nothing ran while it was paused", 0, handler.count());

        createPipelineConfig("local-again", local("file", "again.db"));
        ledger.awaitAllAcceptedRan(DEADLINE);
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "no job was running when the configuration was deleted");
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
