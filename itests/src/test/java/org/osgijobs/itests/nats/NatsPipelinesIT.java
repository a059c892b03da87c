package org.osgijobs.itests.nats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/** NATS pipelines on Felix: from configuration (jobs.nats and a pipeline file's options), declared, delayed. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NatsPipelinesIT extends NatsItestSupport {

    @Test
    public void aConfiguredPipelineWithTypedOptionsProcessesItsPushesOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        setConfig("jobs.nats", Map.of("addr", "nats://" + HOST + ":" + PORT));
        String stream = streamName("cfg");
        createPipelineConfig("nats-cfg", Map.of("driver", "nats", "stream", stream, "subject", "jobs." + stream,
                "prefetch", 20, "ack_wait", 10, "priority", 3, "delete_after_ack", false));
        State s = awaitState("nats-cfg", "consuming", st -> st.ready() && st.errorMessage().isEmpty());
        assertEquals(stream, s.queue());
        assertEquals(3, s.priority());
        for (int i = 0; i < 50; i++) {
            jobs().push(Message.builder("cfg.job").pipeline("nats-cfg").payload("p" + i).build());
        }
        await("50 jobs handled", () -> handler.count() >= 50);
        assertHoldsFor("each once", java.time.Duration.ofMillis(500), () -> handler.count() == 50);
    }

    @Test
    public void aDelayedJobRunsAfterItsDelay() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "later.job");
        String stream = streamName("delay");
        declare(natsPipeline("nats-delay", stream));
        jobs().resume("nats-delay");
        long pushed = System.nanoTime();
        jobs().push(Message.builder("later.job").pipeline("nats-delay").delay(2).build());
        await("the delayed job ran", () -> handler.count() == 1);
        long waited = (System.nanoTime() - pushed) / 1_000_000;
        assertTrue("ran after " + waited + " ms", waited >= 2000);
    }

    @Test
    public void aBadOptionIsAPipelineErrorNamingIt() {
        String stream = streamName("bad");
        JobsException e = expectThrows(JobsException.class, () -> declare(natsPipeline("nats-bad", stream,
                "ack_wait", "soon")));
        assertTrue(e.getMessage(), e.getMessage().contains("'ack_wait'") && e.getMessage().contains("'soon'"));
    }
}
