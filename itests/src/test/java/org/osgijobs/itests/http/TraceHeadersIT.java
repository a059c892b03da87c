package org.osgijobs.itests.http;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.itests.RecordingHandler;

/**
 * W3C trace context pushed over HTTP as job headers ({@code traceparent}, {@code tracestate}) reaches the handler
 * on every attempt: after a requeue by the handler, after a failed attempt's retry, and in the dead-letter pipeline.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TraceHeadersIT extends HttpItestSupport {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    @Test
    public void traceContextSurvivesRequeueRetryAndDeadLettering() throws Exception {
        RecordingHandler handler = new RecordingHandler(job -> {
            if (!job.pipeline().equals("traced")) {
                return; // the dead-letter pipeline: done
            }
            if (job.attempt() == 1 && job.header("requeued") == null) {
                job.requeue(Map.of("requeued", List.of("yes")), 0);
            } else {
                throw new IllegalStateException("attempt " + job.attempt() + " fails");
            }
        });
        registerHandler(handler, "traced.job");
        declare(memoryPipeline("traced-dead"));
        declare(memoryPipeline("traced", "max_attempts", "2", "retry_delay", "0", "dead_letter_pipeline",
                "traced-dead"));
        jobs().resume("traced");
        assertEquals(202, post("/jobs/pipelines/traced/jobs", "{\"name\":\"traced.job\",\"id\":\"t1\",\"headers\":"
                + "{\"traceparent\":\"" + TRACEPARENT + "\",\"tracestate\":\"" + TRACESTATE + "\"}}").status);
        awaitStats("traced-dead", "the job is dead-lettered", s -> s.queued() == 1);
        jobs().resume("traced-dead");
        await("it ran in the dead-letter pipeline", () -> handler.runs().stream()
                .anyMatch(r -> r.pipeline().equals("traced-dead")));
        List<RecordingHandler.Run> runs = handler.runs();
        assertEquals(runs.toString(), 4, runs.size()); // first, after the requeue, the retry, dead-lettered
        for (RecordingHandler.Run run : runs) {
            assertEquals(run.toString(), TRACEPARENT, run.header("traceparent"));
            assertEquals(run.toString(), TRACESTATE, run.header("tracestate"));
        }
    }
}
