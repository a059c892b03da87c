package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;

/**
 * Bad input gets an error that names the problem, and the other pipelines keep working. Every test checks a
 * healthy pipeline after the bad input.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadInputIT extends ItestSupport {
    private static int healthyCount;

    private RecordingHandler handler;
    private String healthy;

    @Before
    public void healthyPipeline() {
        handler = new RecordingHandler();
        registerHandler(handler, "good.job");
        healthy = "healthy-" + healthyCount++;
        declare(memoryPipeline(healthy));
        jobs().resume(healthy);
    }

    @Test
    public void unknownDriverInAConfiguration() {
        createPipelineConfig("bad-driver", Map.of("driver", "nosuchdriver"));

        State s = awaitState("bad-driver", "reports its unknown driver", st -> st.errorMessage().contains("nosuchdriver"));
        assertFalse(s.ready());
        JobsException e = expectThrows(JobsException.class, () -> push("bad-driver", "good.job", ""));
        assertTrue(e.getMessage(), e.getMessage().contains("nosuchdriver") && e.getMessage().contains("bad-driver"));
        healthyPipelineStillWorks();
    }

    @Test
    public void unknownDriverOnDeclare() {
        JobsException e = expectThrows(JobsException.class,
                () -> declare(Map.of("name", "bad-declare", "driver", "nosuchdriver")));
        assertTrue(e.getMessage(), e.getMessage().contains("nosuchdriver"));
        assertFalse(jobs().list().contains("bad-declare"));
        healthyPipelineStillWorks();
    }

    @Test
    public void nonNumericPriorityInAConfiguration() {
        createPipelineConfig("bad-priority-cfg", Map.of("driver", "memory", "priority", "high"));

        State s = awaitState("bad-priority-cfg", "reports the malformed option",
                st -> st.errorMessage().contains("priority") && st.errorMessage().contains("high"));
        assertFalse(s.ready());
        JobsException e = expectThrows(JobsException.class, () -> push("bad-priority-cfg", "good.job", ""));
        assertTrue(e.getMessage(), e.getMessage().contains("priority"));
        healthyPipelineStillWorks();
    }

    @Test
    public void nonNumericPriorityOnDeclare() {
        JobsException e = expectThrows(JobsException.class,
                () -> declare(memoryPipeline("bad-priority", "priority", "high")));
        assertTrue(e.getMessage(), e.getMessage().contains("'priority'") && e.getMessage().contains("'high'")
                && e.getMessage().contains("bad-priority"));
        assertFalse(jobs().list().contains("bad-priority"));
        healthyPipelineStillWorks();
    }

    @Test
    public void malformedRetryOptionOnDeclare() {
        JobsException e = expectThrows(JobsException.class,
                () -> declare(memoryPipeline("bad-retry", "max_attempts", "zero")));
        assertTrue(e.getMessage(), e.getMessage().contains("max_attempts") && e.getMessage().contains("zero"));
        healthyPipelineStillWorks();
    }

    @Test
    public void emptyJobName() {
        JobsException e = expectThrows(JobsException.class,
                () -> Message.builder("").pipeline(healthy).build());
        assertTrue(e.getMessage(), e.getMessage().contains("job name"));
        JobsException blank = expectThrows(JobsException.class,
                () -> Message.builder("   ").pipeline(healthy).build());
        assertTrue(blank.getMessage(), blank.getMessage().contains("job name"));
        healthyPipelineStillWorks();
    }

    @Test
    public void unknownPipelineOnPush() {
        Jobs jobs = jobs();
        JobsException e = expectThrows(JobsException.class, () -> push("nowhere", "good.job", ""));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown pipeline 'nowhere'"));

        CompletionException async = expectThrows(CompletionException.class, () -> jobs
                .pushAsync(Message.builder("good.job").pipeline("nowhere").build()).toCompletableFuture().join());
        assertTrue("async push fails with the same error: " + async.getCause(),
                async.getCause() instanceof JobsException && async.getCause().getMessage().contains("nowhere"));

        Message good = Message.builder("good.job").pipeline(healthy).build();
        Message bad = Message.builder("good.job").pipeline("nowhere").build();
        List<PushResult> results = jobs.pushBatch(List.of(good, bad));
        assertTrue("the good message of a batch is accepted: " + results, results.get(0).ok());
        assertFalse("the bad one is not", results.get(1).ok());
        assertTrue(results.get(1).error().getMessage(), results.get(1).error().getMessage().contains("nowhere"));
        await("the good message of the batch runs", () -> handler.runsOf(good.id()) == 1);

        JobsException noPipeline = expectThrows(JobsException.class,
                () -> jobs.push(Message.builder("good.job").build()));
        assertTrue(noPipeline.getMessage(), noPipeline.getMessage().contains("pipeline"));
        healthyPipelineStillWorks();
    }

    @Test
    public void unknownPipelineOnPauseResumeStatDestroy() {
        Jobs jobs = jobs();
        for (ThrowingRunnable op : List.<ThrowingRunnable>of(() -> jobs.pause("nowhere"), () -> jobs.resume("nowhere"),
                () -> jobs.stat("nowhere"), () -> jobs.stats("nowhere"), () -> jobs.destroy("nowhere"))) {
            JobsException e = expectThrows(JobsException.class, op);
            assertTrue(e.getMessage(), e.getMessage().contains("nowhere"));
        }
        healthyPipelineStillWorks();
    }

    @Test
    public void duplicateDeclare() {
        declare(memoryPipeline("twice", "priority", "4"));
        JobsException e = expectThrows(JobsException.class, () -> jobs().declare(memoryPipeline("twice")));
        assertTrue(e.getMessage(), e.getMessage().contains("'twice'") && e.getMessage().contains("already exists"));
        assertEquals("the first declaration is untouched", 4, jobs().stat("twice").priority());

        RecordingHandler twiceHandler = new RecordingHandler();
        registerHandler(twiceHandler, "twice.job");
        jobs().resume("twice");
        String id = push("twice", "twice.job", "");
        await("the first declaration still works", () -> twiceHandler.runsOf(id) == 1);
        healthyPipelineStillWorks();
    }

    @Test
    public void declareWithoutNameOrDriver() {
        JobsException noName = expectThrows(JobsException.class, () -> jobs().declare(Map.of("driver", "memory")));
        assertTrue(noName.getMessage(), noName.getMessage().contains("'name'"));
        JobsException noDriver = expectThrows(JobsException.class, () -> jobs().declare(Map.of("name", "lonely")));
        assertTrue(noDriver.getMessage(), noDriver.getMessage().contains("'driver'"));
        healthyPipelineStillWorks();
    }

    private void healthyPipelineStillWorks() {
        String id = push(healthy, "good.job", "still fine");
        await("the healthy pipeline '" + healthy + "' still runs jobs", () -> handler.runsOf(id) == 1);
    }
}
