package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.handler.JobContext;

/** A job that overruns {@code job_timeout} is cancelled, counted, and retried per the pipeline's policy. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JobTimeoutIT extends ItestSupport {
    /** Longest a run waits for its cancellation, so that a broken runtime fails the test instead of hanging it. */
    private static final long MAX_OVERRUN_MILLIS = 20_000;
    /** Longest a probe run of the global timeout waits: one that is not cancelled by then is simply tried again. */
    private static final long PROBE_OVERRUN_MILLIS = 3_000;

    /** Job ids whose overrunning run saw {@link JobContext#isCancelled()} or was interrupted. */
    private final Set<String> cancelledRuns = ConcurrentHashMap.newKeySet();

    @Test
    public void aJobOverItsPipelineTimeoutIsCancelledCountedAndRetried() {
        RecordingHandler handler = new RecordingHandler(this::overrunOnFirstAttempt);
        registerHandler(handler, "slow.job");
        declare(memoryPipeline("timeout-pipeline", "job_timeout", "1", "max_attempts", "2", "retry_delay", "0"));
        jobs().resume("timeout-pipeline");

        String id = push("timeout-pipeline", "slow.job", "");

        PipelineStats stats = awaitStats("timeout-pipeline", "the retry completed", s -> s.processed() == 1);
        assertEquals("one run timed out", 1, stats.timedOut());
        assertEquals("a timeout is a failure", 1, stats.failed());
        assertEquals("and was retried", 1, stats.requeued());
        assertEquals("two runs", 2, handler.runsOf(id));
        assertEquals("the retry is attempt 2", 2, handler.runsOfJob(id).get(1).attempt());
        assertTrue("the overrunning run was told to stop", cancelledRuns.contains(id));
    }

    @Test
    public void theGlobalJobTimeoutAppliesToPipelinesWithoutTheirOwn() {
        setConfig(JOBS_PID, Map.of("job_timeout", 1));
        RecordingHandler handler = new RecordingHandler(job -> overrun(job, PROBE_OVERRUN_MILLIS));
        registerHandler(handler, "slow.job");
        declare(memoryPipeline("timeout-global", "max_attempts", "1"));
        jobs().resume("timeout-global");

        // the configuration reaches the runtime asynchronously: a run that starts before it applies is not
        // cancelled (and not retried: max_attempts=1); push probes until one is
        String id = awaitValue("a run cancelled by the global job_timeout", () -> {
            String pushed = push("timeout-global", "slow.job", "");
            await("the run ends", () -> jobs().stats("timeout-global").inFlight() == 0 && handler.runsOf(pushed) == 1);
            return pushed;
        }, cancelledRuns::contains);
        assertTrue(jobs().stats("timeout-global").timedOut() >= 1);
        assertEquals("without retries it is not run again", 1, handler.runsOf(id));
    }

    /** Overruns on the first attempt until the runtime cancels the run; completes at once on later ones. */
    private void overrunOnFirstAttempt(JobContext job) throws InterruptedException {
        if (job.attempt() == 1) {
            overrun(job, MAX_OVERRUN_MILLIS);
        }
    }

    /** Runs until the runtime cancels the run, or at most the given time. */
    private void overrun(JobContext job, long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        try {
            while (System.currentTimeMillis() < end) {
                if (job.isCancelled()) {
                    cancelledRuns.add(job.id());
                    throw new InterruptedException("cancelled");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            cancelledRuns.add(job.id());
            throw e;
        }
    }
}
