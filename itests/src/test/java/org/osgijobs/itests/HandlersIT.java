package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.handler.JobHandler;

/** Which handler runs a job: ranking, several names, the {@code *} handler, and no handler at all. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlersIT extends ItestSupport {

    @Test
    public void theHighestRankingHandlerRunsTheJobAndTheNextTakesOverWhenItLeaves() {
        RecordingHandler low = new RecordingHandler();
        RecordingHandler high = new RecordingHandler();
        registerHandler(low, 5, "rank.job");
        ServiceRegistration<JobHandler> highRegistration = registerHandler(high, 10, "rank.job");
        declare(memoryPipeline("rank"));
        jobs().resume("rank");

        String first = push("rank", "rank.job", "");
        await("the job runs", () -> high.runsOf(first) + low.runsOf(first) == 1);
        assertEquals("the ranking-10 handler ran it", 1, high.runsOf(first));

        highRegistration.unregister();
        String second = push("rank", "rank.job", "");
        await("the ranking-5 handler runs the next job", () -> low.runsOf(second) == 1);
        assertEquals(0, high.runsOf(second));
    }

    @Test
    public void anExactNameBeatsTheWildcardWhateverTheRanking() {
        RecordingHandler exact = new RecordingHandler();
        RecordingHandler any = new RecordingHandler();
        registerHandler(exact, 0, "exact.job");
        registerHandler(any, 100, JobHandler.ANY);
        declare(memoryPipeline("wildcard"));
        jobs().resume("wildcard");

        String named = push("wildcard", "exact.job", "");
        String other = push("wildcard", "whatever.job", "");
        await("both jobs run", () -> exact.runsOf(named) + any.runsOf(named) == 1 && any.runsOf(other) == 1);
        assertEquals("the exact handler ran its job", 1, exact.runsOf(named));
        assertEquals("the * handler ran the other one", "whatever.job", any.runsOfJob(other).get(0).name());
    }

    @Test
    public void aHandlerForSeveralNamesRunsEachOfThem() {
        RecordingHandler multi = new RecordingHandler();
        registerHandler(multi, "first.job", "second.job");
        declare(memoryPipeline("multi"));
        jobs().resume("multi");

        String a = push("multi", "first.job", "");
        String b = push("multi", "second.job", "");
        await("both names run in the one handler", () -> multi.runsOf(a) == 1 && multi.runsOf(b) == 1);
    }

    @Test
    public void aJobWithoutHandlerIsRequeuedWithADelayAndCountedUntilAHandlerArrives() {
        declare(memoryPipeline("orphans", "no_handler_delay", "1"));
        jobs().resume("orphans");

        String id = push("orphans", "orphan.job", "");

        awaitStats("orphans", "the job is counted as without handler", s -> s.noHandler() >= 1);
        awaitState("orphans", "the job waits in the driver, delayed", s -> s.delayed() + s.active() == 1);
        assertEquals("it is not lost while it waits", 0, jobs().stats("orphans").processed());

        RecordingHandler late = new RecordingHandler();
        registerHandler(late, "orphan.job");

        await("the job runs when a handler arrives", () -> late.runsOf(id) == 1);
        assertEquals("a missing handler uses up no attempt", 1, late.runsOfJob(id).get(0).attempt());
        assertHoldsFor("it runs once", Duration.ofMillis(1500), () -> late.runsOf(id) == 1);
    }

    @Test
    public void aJobWithoutHandlerCountsAmongRequeuedJobs() {
        declare(memoryPipeline("orphans-counted", "no_handler_delay", "1"));
        jobs().resume("orphans-counted");

        push("orphans-counted", "orphan.job", "");

        // PipelineStats.requeued: "jobs put back for a later attempt (retries, handler requeues, missing handlers)";
        // the two counters are separate adders, so a snapshot may fall between them: wait for both
        PipelineStats stats = awaitStats("orphans-counted", "counted as without handler and as requeued",
                s -> s.noHandler() >= 1 && s.requeued() >= 1);
        assertTrue("a job put back for want of a handler counts as requeued: " + stats, stats.requeued() >= 1);
    }
}
