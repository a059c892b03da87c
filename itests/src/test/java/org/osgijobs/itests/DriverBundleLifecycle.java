package org.osgijobs.itests;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.Ledger;

/**
 * A broker driver's bundle stopped, started, updated and uninstalled (then installed again) while jobs flow into its
 * pipelines, for the driver tests of every broker: no job whose push succeeded is lost, none runs twice, no push
 * fails during the update, and the pipelines come back by themselves. A test makes the pipelines (the first from a
 * configuration, so that its state says when the driver is gone) and calls {@link #underLoad}, and its
 * {@code @After} calls {@link #driverIsBack()}.
 */
public final class DriverBundleLifecycle {
    /** The job name the load pushes; the test registers its handler for it. */
    public static final String JOB = "life.job";
    /** Jobs handled in each phase before the next change (SQS, the slowest here, runs a few hundred a second). */
    private static final int LOAD_STEP = 100;

    private final ItestSupport test;
    private final String driver;
    private final String symbolicName;
    private String location;

    /** @param driver the driver's name, as in {@code driver=...}; its bundle is {@code org.osgijobs.driver-<name>} */
    public DriverBundleLifecycle(ItestSupport test, String driver) {
        this.test = test;
        this.driver = driver;
        this.symbolicName = "org.osgijobs.driver-" + driver;
    }

    /** Installs and starts the driver again if a failed test left it uninstalled or stopped. */
    public void driverIsBack() throws BundleException {
        Bundle bundle = find();
        if (bundle == null && location != null) {
            bundle = test.bundleContext.installBundle(location);
        }
        if (bundle != null && bundle.getState() != Bundle.ACTIVE) {
            bundle.start();
        }
    }

    /**
     * Runs the scenario and asserts its ledger.
     *
     * @param pipelines the driver's pipelines, consuming; the first from a configuration
     * @param handler   the handler of {@link #JOB}, recording into the ledger
     * @param orderly   why no job may run twice with this driver (the assertion's message)
     */
    public void underLoad(List<String> pipelines, RecordingHandler handler, Ledger ledger, String orderly)
            throws Exception {
        comeBack(pipelines);
        Jobs jobs = test.jobs();
        ledger.phase("start");
        AtomicBoolean pushing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(jobs, pipelines, ledger, pushing), "itest-" + driver
                + "-life-producer");
        producer.setDaemon(true);
        producer.start();
        try {
            Bundle bundle = find();
            location = bundle.getLocation();
            ItestSupport.await("load before stop", () -> handler.count() > LOAD_STEP);
            bundle.stop();
            for (String p : pipelines) {
                State s = jobs.stat(p);
                assertTrue(s.toString(), s.errorMessage().contains("driver " + driver + " unavailable"));
            }
            bundle.start();
            moreLoad(pipelines, handler, "after start");

            ledger.phase("update");
            bundle.update();
            moreLoad(pipelines, handler, "after update");
            ledger.phase("after update");

            bundle.uninstall();
            ItestSupport.await("pipelines report the driver gone", () -> jobs.stat(pipelines.get(0)).errorMessage()
                    .contains("unavailable"));
            test.bundleContext.installBundle(location).start();
            moreLoad(pipelines, handler, "after reinstall");
        } finally {
            pushing.set(false);
            producer.join(10_000);
        }
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(120));
        System.out.printf("%s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertNoRefusalsIn("update", "no push may fail during the bundle update");
        ledger.assertDuplicatesAtMost(0, orderly);
    }

    /** Pushes into the pipelines in turn until told to stop; a refused push is counted and retried after 5 ms. */
    private static void produce(Jobs jobs, List<String> pipelines, Ledger ledger, AtomicBoolean pushing) {
        int n = 0;
        while (pushing.get()) {
            // a payload: SQS refuses an empty message body
            Message m = Message.builder(JOB).pipeline(pipelines.get(n++ % pipelines.size())).payload("x").build();
            ledger.pushed(m.id());
            try {
                jobs.push(m);
                ledger.accepted(m.id());
            } catch (RuntimeException e) {
                ledger.refused(m.id(), e.getMessage());
                try {
                    Thread.sleep(5); // the driver is away: do not spin on refusals
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void moreLoad(List<String> pipelines, RecordingHandler handler, String when) {
        comeBack(pipelines);
        int before = handler.count();
        ItestSupport.await("load " + when, () -> handler.count() > before + LOAD_STEP);
    }

    private void comeBack(List<String> pipelines) {
        for (String p : pipelines) {
            test.awaitState(p, "back and consuming", s -> s.ready() && s.errorMessage().isEmpty());
        }
    }

    private Bundle find() {
        for (Bundle b : test.bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
