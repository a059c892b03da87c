package org.osgijobs.itests.nats;

import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleException;
import org.osgijobs.itests.DriverBundleLifecycle;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.Ledger;

/**
 * The driver-nats bundle stopped, updated and uninstalled (then installed again) under steady load: no job whose push
 * succeeded is lost (jobs not acknowledged stay with the server, in the durable consumer), and its pipelines come
 * back by themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NatsBundleLifecycleIT extends NatsItestSupport {
    private final DriverBundleLifecycle lifecycle = new DriverBundleLifecycle(this, "nats");

    @After
    public void driverIsBack() throws BundleException {
        lifecycle.driverIsBack();
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-nats bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, DriverBundleLifecycle.JOB);
        String sc = streamName("life-cfg");
        String sd = streamName("life-decl");
        Map<String, String> cfg = natsPipeline("nats-life-cfg", sc);
        cfg.remove("name");
        createPipelineConfig("nats-life-cfg", cfg);
        declare(natsPipeline("nats-life-decl", sd));
        jobs().resume("nats-life-decl");
        List<String> pipelines = List.of("nats-life-cfg", "nats-life-decl");
        lifecycle.underLoad(pipelines, handler, ledger,
                "every change was orderly: running jobs finished and were acknowledged"
                + " before each driver stopped, jobs not taken were given back");
    }
}
