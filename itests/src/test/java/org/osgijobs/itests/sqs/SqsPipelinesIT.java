package org.osgijobs.itests.sqs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/**
 * SQS pipelines on Felix with only jobs-api, SLF4J, SCR and ConfigAdmin beside the driver: the bundle resolves and
 * runs; a pipeline from configuration (jobs.sqs and flattened attributes), a declared one with a delay, a bad option.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SqsPipelinesIT extends SqsItestSupport {

    @Test
    public void theDriverBundleIsActiveWithNothingButItsFourDependencies() {
        Bundle driver = null;
        for (Bundle b : bundleContext.getBundles()) {
            if ("org.osgijobs.driver-sqs".equals(b.getSymbolicName())) {
                driver = b;
            }
        }
        assertTrue("driver-sqs installed", driver != null);
        assertEquals(Bundle.ACTIVE, driver.getState());
        for (Bundle b : bundleContext.getBundles()) {
            String name = String.valueOf(b.getSymbolicName());
            assertTrue("no other SDK, HTTP client or Netty bundle: " + name, !name.contains("netty")
                    && !name.contains("awssdk") && !name.contains("httpclient"));
        }
    }

    @Test
    public void aConfiguredPipelineWithTypedAndFlattenedOptionsProcessesItsPushesOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        String queue = unique("cfg");
        createPipelineConfig("sqs-cfg", Map.of("driver", "sqs", "queue", queue, "prefetch", 10,
                "max_messages_in_flight", 20, "wait_time_seconds", 1, "priority", 3,
                "attributes.VisibilityTimeout", 20, "tags.owner", "itest"));
        State s = awaitState("sqs-cfg", "consuming", st -> st.ready() && st.errorMessage().isEmpty());
        assertEquals(queue, s.queue());
        assertEquals(3, s.priority());
        for (int i = 0; i < 50; i++) {
            jobs().push(Message.builder("cfg.job").pipeline("sqs-cfg").payload("p" + i).build());
        }
        await("50 jobs handled", () -> handler.count() >= 50);
        assertHoldsFor("each once", java.time.Duration.ofMillis(500), () -> handler.count() == 50);
    }

    @Test
    public void aDelayedJobRunsAfterItsDelay() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "later.job");
        declare(sqsPipeline("sqs-delay", unique("delay")));
        jobs().resume("sqs-delay");
        long pushed = System.nanoTime();
        jobs().push(Message.builder("later.job").pipeline("sqs-delay").payload("x").delay(2).build());
        await("the delayed job ran", () -> handler.count() == 1);
        long waited = (System.nanoTime() - pushed) / 1_000_000;
        assertTrue("ran after " + waited + " ms", waited >= 1900);
    }

    @Test
    public void aBadOptionIsAPipelineErrorNamingIt() {
        JobsException e = expectThrows(JobsException.class, () -> declare(sqsPipeline("sqs-bad", unique("bad"),
                "wait_time_seconds", "60")));
        assertTrue(e.getMessage(), e.getMessage().contains("'wait_time_seconds'") && e.getMessage().contains("60"));
    }
}
