package org.osgijobs.itests.sqs;

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
 * The driver-sqs bundle stopped, updated and uninstalled (then installed again) under steady load: no job whose push
 * succeeded is lost (jobs not acknowledged stay in the queue: the ones no worker took are made visible again at
 * stop), and its pipelines come back by themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SqsBundleLifecycleIT extends SqsItestSupport {
    private final DriverBundleLifecycle lifecycle = new DriverBundleLifecycle(this, "sqs");

    @After
    public void driverIsBack() throws BundleException {
        lifecycle.driverIsBack();
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-sqs bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, DriverBundleLifecycle.JOB);
        Map<String, String> cfg = sqsPipeline("sqs-life-cfg", unique("life-cfg"));
        cfg.remove("name");
        createPipelineConfig("sqs-life-cfg", cfg);
        declare(sqsPipeline("sqs-life-decl", unique("life-decl")));
        jobs().resume("sqs-life-decl");
        List<String> pipelines = List.of("sqs-life-cfg", "sqs-life-decl");
        lifecycle.underLoad(pipelines, handler, ledger,
                "every change was orderly: running jobs finished and were acknowledged"
                + " before each driver stopped, jobs not taken were given back");
    }
}
