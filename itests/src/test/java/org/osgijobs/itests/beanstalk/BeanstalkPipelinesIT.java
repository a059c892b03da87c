package org.osgijobs.itests.beanstalk;

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

/** beanstalk pipelines on Felix: from configuration (jobs.beanstalk and a pipeline file's options), declared, delayed. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BeanstalkPipelinesIT extends BeanstalkItestSupport {

    @Test
    public void aConfiguredPipelineWithTypedOptionsProcessesItsPushesOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        setConfig("jobs.beanstalk", Map.of("addr", "tcp://" + HOST + ":" + PORT, "timeout", 20));
        String tube = unique("cfg");
        createPipelineConfig("bs-cfg", Map.of("driver", "beanstalk", "tube", tube, "tube_priority", 5,
                "reserve_timeout", 1, "prefetch", 20, "priority", 3));
        State s = awaitState("bs-cfg", "consuming", st -> st.ready() && st.errorMessage().isEmpty());
        assertEquals(tube, s.queue());
        assertEquals(3, s.priority());
        for (int i = 0; i < 50; i++) {
            jobs().push(Message.builder("cfg.job").pipeline("bs-cfg").payload("p" + i).build());
        }
        await("50 jobs handled", () -> handler.count() >= 50);
        assertHoldsFor("each once", java.time.Duration.ofMillis(500), () -> handler.count() == 50);
        await("the tube is empty", () -> {
            State now = jobs().stat("bs-cfg");
            return now.active() == 0 && now.reserved() == 0 && now.delayed() == 0;
        });
    }

    @Test
    public void aDelayedJobRunsAfterItsDelay() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "later.job");
        declare(beanstalkPipeline("bs-delay", unique("delay")));
        jobs().resume("bs-delay");
        long pushed = System.nanoTime();
        jobs().push(Message.builder("later.job").pipeline("bs-delay").delay(2).build());
        assertEquals(1, jobs().stat("bs-delay").delayed());
        await("the delayed job ran", () -> handler.count() == 1);
        long waited = (System.nanoTime() - pushed) / 1_000_000;
        assertTrue("ran after " + waited + " ms", waited >= 2000);
    }

    @Test
    public void aBadOptionIsAPipelineErrorNamingIt() {
        JobsException e = expectThrows(JobsException.class, () -> declare(beanstalkPipeline("bs-bad",
                unique("bad"), "tube_priority", "urgent")));
        assertTrue(e.getMessage(), e.getMessage().contains("'tube_priority'") && e.getMessage().contains("'urgent'"));
    }
}
