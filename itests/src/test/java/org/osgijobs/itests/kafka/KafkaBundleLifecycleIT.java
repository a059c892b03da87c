package org.osgijobs.itests.kafka;

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
 * The driver-kafka bundle stopped, updated and uninstalled (then installed again) under steady load: no job whose push
 * succeeded is lost (records not committed stay in the topic for the consumer group), and its pipelines come back by
 * themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaBundleLifecycleIT extends KafkaItestSupport {
    private final DriverBundleLifecycle lifecycle = new DriverBundleLifecycle(this, "kafka");

    @After
    public void driverIsBack() throws BundleException {
        lifecycle.driverIsBack();
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-kafka bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, DriverBundleLifecycle.JOB);
        Map<String, String> cfg = kafkaPipeline("kafka-life-cfg");
        cfg.remove("name");
        createPipelineConfig("kafka-life-cfg", cfg);
        declare(kafkaPipeline("kafka-life-decl"));
        jobs().resume("kafka-life-decl");
        List<String> pipelines = List.of("kafka-life-cfg", "kafka-life-decl");
        lifecycle.underLoad(pipelines, handler, ledger,
                "every change was orderly: running jobs finished and were acknowledged"
                + " and committed before each driver stopped, jobs not taken were given back");
    }
}
