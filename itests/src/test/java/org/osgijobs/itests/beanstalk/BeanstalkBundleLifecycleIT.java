package org.osgijobs.itests.beanstalk;

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
 * The driver-beanstalk bundle stopped, updated and uninstalled (then installed again) under steady load: no job whose
 * push succeeded is lost (jobs not deleted stay in their tube: released, or put back by beanstalkd when the connection
 * closes), and its pipelines come back by themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BeanstalkBundleLifecycleIT extends BeanstalkItestSupport {
    private final DriverBundleLifecycle lifecycle = new DriverBundleLifecycle(this, "beanstalk");

    @After
    public void driverIsBack() throws BundleException {
        lifecycle.driverIsBack();
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-beanstalk bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, DriverBundleLifecycle.JOB);
        Map<String, String> cfg = beanstalkPipeline("bs-life-cfg", unique("life-cfg"));
        cfg.remove("name");
        createPipelineConfig("bs-life-cfg", cfg);
        declare(beanstalkPipeline("bs-life-decl", unique("life-decl")));
        jobs().resume("bs-life-decl");
        List<String> pipelines = List.of("bs-life-cfg", "bs-life-decl");
        lifecycle.underLoad(pipelines, handler, ledger,
                "every change was orderly: running jobs finished and were acknowledged"
                + " before each driver stopped, jobs not taken were released");
    }
}
