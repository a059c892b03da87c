package org.osgijobs.itests.sqs;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.Ledger;

/**
 * The driver-sqs bundle stopped, updated and uninstalled (then installed again) under steady load: no job whose push
 * succeeded is lost (jobs not acknowledged stay in the queue: the ones no worker took are made visible again at
 * stop), and its pipelines come back by themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SqsBundleLifecycleIT extends SqsItestSupport {
    private static final String DRIVER = "org.osgijobs.driver-sqs";
    private static String location;

    @After
    public void driverIsBack() throws BundleException {
        Bundle driver = find();
        if (driver == null && location != null) {
            driver = bundleContext.installBundle(location);
        }
        if (driver != null && driver.getState() != Bundle.ACTIVE) {
            driver.start();
        }
    }

    private Bundle find() {
        for (Bundle b : bundleContext.getBundles()) {
            if (DRIVER.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private void comeBack(List<String> pipelines) {
        for (String p : pipelines) {
            awaitState(p, "back and consuming", s -> s.ready() && s.errorMessage().isEmpty());
        }
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-sqs bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, "life.job");
        Map<String, String> cfg = sqsPipeline("sqs-life-cfg", unique("life-cfg"));
        cfg.remove("name");
        createPipelineConfig("sqs-life-cfg", cfg);
        declare(sqsPipeline("sqs-life-decl", unique("life-decl")));
        jobs().resume("sqs-life-decl");
        List<String> pipelines = List.of("sqs-life-cfg", "sqs-life-decl");
        comeBack(pipelines);

        Jobs jobs = jobs();
        ledger.phase("start");
        AtomicBoolean pushing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            int n = 0;
            while (pushing.get()) {
                Message m = Message.builder("life.job").pipeline(pipelines.get(n++ % 2)).payload("x").build();
                ledger.pushed(m.id());
                try {
                    jobs.push(m);
                    ledger.accepted(m.id());
                } catch (RuntimeException e) {
                    ledger.refused(m.id(), e.getMessage());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "itest-sqs-life-producer");
        producer.setDaemon(true);
        producer.start();
        try {
            Bundle driver = find();
            location = driver.getLocation();
            await("load before stop", () -> handler.count() > 100);
            driver.stop();
            for (String p : pipelines) {
                State s = jobs.stat(p);
                assertTrue(s.toString(), s.errorMessage().contains("driver sqs unavailable"));
            }
            driver.start();
            comeBack(pipelines);
            int afterStart = handler.count();
            await("load after start", () -> handler.count() > afterStart + 100);

            ledger.phase("update");
            driver.update();
            comeBack(pipelines);
            int afterUpdate = handler.count();
            await("load after update", () -> handler.count() > afterUpdate + 100);
            ledger.phase("after update");

            driver.uninstall();
            await("pipelines report the driver gone", () -> jobs.stat("sqs-life-cfg").errorMessage()
                    .contains("unavailable"));
            bundleContext.installBundle(location).start();
            comeBack(pipelines);
            int afterReinstall = handler.count();
            await("load after reinstall", () -> handler.count() > afterReinstall + 100);
        } finally {
            pushing.set(false);
            producer.join(10_000);
        }
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(120));
        System.out.printf("%s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertNoRefusalsIn("update", "no push may fail during the bundle update");
        ledger.assertDuplicatesAtMost(0, "every change was orderly: running jobs finished and were acknowledged"
                + " before each driver stopped, jobs not taken were given back");
    }
}
