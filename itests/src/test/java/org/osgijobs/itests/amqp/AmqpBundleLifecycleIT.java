package org.osgijobs.itests.amqp;

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
 * The driver-amqp bundle stopped, updated and uninstalled (then installed again) while jobs flow: no job whose push
 * succeeded is lost (unacknowledged deliveries return to the broker), and its pipelines come back by themselves.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpBundleLifecycleIT extends AmqpItestSupport {
    private final DriverBundleLifecycle lifecycle = new DriverBundleLifecycle(this, "amqp");

    @After
    public void driverIsBack() throws BundleException {
        lifecycle.driverIsBack();
    }

    @Test
    public void stopUpdateAndUninstallUnderLoadLoseNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-amqp bundle stop/update/uninstall");
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(1));
        registerHandler(handler, DriverBundleLifecycle.JOB);
        String qc = queueName("life-cfg");
        String qd = queueName("life-decl");
        createPipelineConfig("amqp-life-cfg", Map.of("driver", "amqp", "queue", qc, "routing_key", qc, "durable",
                true));
        declare(amqpPipeline("amqp-life-decl", "queue", qd, "routing_key", qd, "durable", "true"));
        jobs().resume("amqp-life-decl");
        List<String> pipelines = List.of("amqp-life-cfg", "amqp-life-decl");
        lifecycle.underLoad(pipelines, handler, ledger,
                "every change was orderly: running jobs finished and were acked before"
                + " each driver stopped");
    }
}
