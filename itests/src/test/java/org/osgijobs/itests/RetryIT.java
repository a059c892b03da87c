package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.handler.JobContext;

/** What happens to a job whose handler fails, rejects or requeues it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RetryIT extends ItestSupport {

    @Test
    public void aFailingJobIsRetriedWithBackoffThenDeadLettered() {
        RecordingHandler handler = new RecordingHandler(job -> {
            if (job.pipeline().equals("retry-main")) {
                throw new IllegalStateException("boom on attempt " + job.attempt());
            }
        });
        registerHandler(handler, "retry.job");
        declare(memoryPipeline("retry-dead"));
        jobs().resume("retry-dead");
        declare(memoryPipeline("retry-main", "max_attempts", "3", "retry_delay", "1", "retry_multiplier", "2",
                "dead_letter_pipeline", "retry-dead"));
        jobs().resume("retry-main");

        String id = push("retry-main", "retry.job", "payload");

        await("the job reaches the dead-letter pipeline",
                () -> handler.runsOfJob(id).stream().anyMatch(r -> r.pipeline().equals("retry-dead")));
        List<RecordingHandler.Run> runs = handler.runsOfJob(id);
        List<RecordingHandler.Run> attempts = runs.stream().filter(r -> r.pipeline().equals("retry-main")).toList();
        assertEquals("three attempts in the failing pipeline", List.of(1, 2, 3),
                attempts.stream().map(RecordingHandler.Run::attempt).toList());
        // backoff: 1 s, then 2 s (lower bounds only)
        assertTrue("1 s before the second attempt", millisBetween(attempts.get(0), attempts.get(1)) >= 1000);
        assertTrue("2 s before the third attempt", millisBetween(attempts.get(1), attempts.get(2)) >= 2000);
        RecordingHandler.Run dead = runs.get(runs.size() - 1);
        assertEquals("retry-dead", dead.pipeline());
        assertEquals("the dead letter carries its attempt count", "3", dead.header(JobContext.ATTEMPT_HEADER));
        assertEquals("and its payload", "payload", dead.payload());

        PipelineStats stats = awaitStats("retry-main", "dead-lettered counted", s -> s.deadLettered() == 1);
        assertEquals("failures", 3, stats.failed());
        assertEquals("retries", 2, stats.requeued());
        assertEquals("processed", 0, stats.processed());
        assertEquals("nothing left", 0, stats.queued() + stats.delayed() + stats.inFlight());
    }

    @Test
    public void aFailingJobWithoutDeadLetterPipelineIsDroppedAfterItsLastAttempt() {
        RecordingHandler handler = new RecordingHandler(job -> {
            throw new IllegalStateException("always");
        });
        registerHandler(handler, "drop.job");
        declare(memoryPipeline("retry-drop", "max_attempts", "2", "retry_delay", "0"));
        jobs().resume("retry-drop");

        String id = push("retry-drop", "drop.job", "");

        awaitStats("retry-drop", "two failures", s -> s.failed() == 2);
        assertHoldsFor("no third attempt", Duration.ofSeconds(1), () -> handler.runsOf(id) == 2);
        PipelineStats stats = jobs().stats("retry-drop");
        assertEquals(0, stats.deadLettered());
        assertEquals(0, stats.queued() + stats.delayed());
    }

    @Test
    public void aRejectedJobGoesToTheDeadLetterPipelineWithoutRetry() {
        RecordingHandler handler = new RecordingHandler(job -> {
            if (job.pipeline().equals("reject-main")) {
                job.nack(false, 0);
            }
        });
        registerHandler(handler, "reject.job");
        declare(memoryPipeline("reject-dead"));
        jobs().resume("reject-dead");
        declare(memoryPipeline("reject-main", "max_attempts", "5", "dead_letter_pipeline", "reject-dead"));
        jobs().resume("reject-main");

        String id = push("reject-main", "reject.job", "");

        await("the rejected job reaches the dead-letter pipeline",
                () -> handler.runsOfJob(id).stream().anyMatch(r -> r.pipeline().equals("reject-dead")));
        assertEquals("rejected on the first attempt, not retried", 1,
                handler.runsOfJob(id).stream().filter(r -> r.pipeline().equals("reject-main")).count());
    }

    @Test
    public void aHandlerRequeueRunsTheJobAgainWithItsHeadersWithoutUsingAnAttempt() {
        RecordingHandler handler = new RecordingHandler(job -> {
            if (job.header("x-step") == null) {
                job.requeue(Map.of("x-step", List.of("second")), 1);
            }
        });
        registerHandler(handler, "requeue.job");
        declare(memoryPipeline("requeue", "max_attempts", "1"));
        jobs().resume("requeue");

        String id = push("requeue", "requeue.job", "");

        await("the job runs a second time", () -> handler.runsOf(id) == 2);
        List<RecordingHandler.Run> runs = handler.runsOfJob(id);
        assertEquals("the second run has the header set by the first", "second", runs.get(1).header("x-step"));
        assertEquals("a requeue uses up no attempt", 1, runs.get(1).attempt());
        assertTrue("the requeue delay (1 s) was honoured", millisBetween(runs.get(0), runs.get(1)) >= 1000);
        awaitStats("requeue", "processed once, requeued once", s -> s.processed() == 1 && s.requeued() == 1);
    }

    private static long millisBetween(RecordingHandler.Run first, RecordingHandler.Run second) {
        return TimeUnit.NANOSECONDS.toMillis(second.startNanos() - first.startNanos());
    }
}
