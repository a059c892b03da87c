package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.State;

/** A pipeline declared through the {@link Jobs} service, from declare to destroy. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineLifecycleIT extends ItestSupport {

    @Test
    public void declareResumePushPauseResumeDestroy() {
        Jobs jobs = jobs();
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "life.job");

        declare(memoryPipeline("life", "priority", "3"));
        assertTrue("list has the declared pipeline: " + jobs.list(), jobs.list().contains("life"));
        State declared = jobs.stat("life");
        assertEquals("memory", declared.driver());
        assertEquals("priority", 3, declared.priority());
        assertFalse("a declared pipeline starts paused: " + declared, declared.ready());
        assertEquals("no error: " + declared, "", declared.errorMessage());

        jobs.resume("life");
        assertTrue("ready after resume", jobs.stat("life").ready());
        String first = push("life", "life.job", "one");
        await("the first job runs", () -> handler.runsOf(first) == 1);
        assertEquals("the job inherits the pipeline's priority", 3, handler.runsOfJob(first).get(0).priority());
        assertEquals("one", handler.runsOfJob(first).get(0).payload());

        jobs.pause("life");
        assertFalse("not ready after pause", jobs.stat("life").ready());
        String second = push("life", "life.job", "two");
        assertHoldsFor("a job pushed while paused does not run", Duration.ofSeconds(1),
                () -> handler.runsOf(second) == 0);
        State paused = jobs.stat("life");
        assertEquals("the paused pipeline shows the job queued: " + paused, 1, paused.active());
        assertEquals("stats count it queued too", 1, jobs.stats("life").queued());

        jobs.resume("life");
        await("the queued job runs after resume", () -> handler.runsOf(second) == 1);
        awaitState("life", "nothing queued any more", s -> s.active() == 0 && s.ready());

        jobs.destroy("life");
        assertFalse("destroyed pipeline gone from list: " + jobs.list(), jobs.list().contains("life"));
        JobsException e = expectThrows(JobsException.class, () -> jobs.stat("life"));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown pipeline 'life'"));
        assertEquals("each job ran once", 2, handler.count());
    }

    @Test
    public void aPipelineListedInConsumeStartsConsumingWhenDeclared() {
        setConfig(JOBS_PID, java.util.Map.of("consume", new String[] { "eager" }));
        // the configuration reaches the runtime asynchronously: probe until a fresh declare consumes
        awaitValue("the runtime reads consume=eager", () -> {
            declare(memoryPipeline("eager"));
            try {
                return jobs().stat("eager").ready();
            } finally {
                jobs().destroy("eager");
            }
        }, ready -> ready);
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "eager.job");
        declare(memoryPipeline("eager"));
        String id = push("eager", "eager.job", "");
        await("the job of a pipeline listed in consume runs without resume", () -> handler.runsOf(id) == 1);
    }

    @Test
    public void stateAndCountersOfEveryPipeline() {
        Jobs jobs = jobs();
        declare(memoryPipeline("stat-b"));
        declare(memoryPipeline("stat-a", "priority", "7"));
        push("stat-a", "nobody", "");
        push("stat-a", "nobody", "");
        assertEquals("list is sorted", java.util.List.of("stat-a", "stat-b"),
                jobs.list().stream().filter(n -> n.startsWith("stat-")).toList());
        java.util.List<State> states = jobs.stat().stream().filter(s -> s.pipeline().startsWith("stat-")).toList();
        assertEquals("stat() is sorted by name", "stat-a", states.get(0).pipeline());
        assertEquals(7, states.get(0).priority());
        assertEquals("two jobs queued in the paused pipeline", 2, states.get(0).active());
        assertEquals("default priority", 10, states.get(1).priority());
        assertEquals("pushed counter", 2, jobs.stats("stat-a").pushed());
        assertEquals(0, jobs.stats("stat-b").pushed());
    }
}
