package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;

/** Pipelines from {@code jobs.pipeline} factory configurations: created, changed and deleted while running. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineConfigurationIT extends ItestSupport {

    @Test
    public void editingAPipelineWhileAJobRunsHoldsBackNeitherOtherConfigurationsNorItsPushes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler slow = new RecordingHandler(job -> {
            running.countDown();
            release.await(60, TimeUnit.SECONDS); // a long job, as long as the test wants
        });
        registerHandler(slow, "long.job");
        Configuration edited = createPipelineConfig("cfg-busy", Map.of("driver", "memory"));
        awaitState("cfg-busy", "ready", s -> s.ready());
        push("cfg-busy", "long.job", "");
        assertTrue(running.await(20, TimeUnit.SECONDS));
        try {
            updateConfig(edited, Map.of("name", "cfg-busy", "driver", "memory", "priority", "6"));
            long before = System.nanoTime();
            createPipelineConfig("cfg-bystander", Map.of("driver", "memory"));
            awaitState("cfg-bystander", "created while the edited pipeline waits for its job", s -> s.ready());
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            assertTrue("another configuration applied within 2 s, took " + tookMillis + " ms", tookMillis < 2000);
            for (int i = 0; i < 20; i++) {
                push("cfg-busy", "other.job", "during the edit " + i); // keeps succeeding
            }
        } finally {
            release.countDown();
        }
        awaitState("cfg-busy", "the edit applied once the job finished", s -> s.priority() == 6 && s.ready());
        assertEquals("the long job and the 20 pushed during the edit", 21, jobs().stats("cfg-busy").pushed());
        assertEquals("no push failed", 0, jobs().stats("cfg-busy").pushErrors());
    }

    @Test
    public void aCreatedConfigurationMakesAConsumingPipeline() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");

        createPipelineConfig("cfg-create", Map.of("driver", "memory"));

        awaitState("cfg-create", "ready (configured pipelines consume)", s -> s.ready());
        String id = push("cfg-create", "cfg.job", "hello");
        await("the job runs", () -> handler.runsOf(id) == 1);
        assertEquals("hello", handler.runsOfJob(id).get(0).payload());
        assertEquals("default priority", 10, handler.runsOfJob(id).get(0).priority());
    }

    @Test
    public void anUpdatedConfigurationRestartsThePipelineWithItsNewOptionsAndKeepsItsJobs() {
        Jobs jobs = jobs();
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        Configuration config = createPipelineConfig("cfg-update", Map.of("driver", "memory", "priority", "5"));
        awaitState("cfg-update", "ready with priority 5", s -> s.ready() && s.priority() == 5);
        String before = push("cfg-update", "cfg.job", "");
        await("a job runs before the update", () -> handler.runsOf(before) == 1);
        assertEquals(5, handler.runsOfJob(before).get(0).priority());

        // jobs waiting in the driver when the configuration changes must survive the restart
        jobs.pause("cfg-update");
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(push("cfg-update", "cfg.job", "waiting " + i));
        }
        updateConfig(config, Map.of("name", "cfg-update", "driver", "memory", "priority", "7"));

        // the edit keeps the operator's pause, and the jobs
        awaitState("cfg-update", "restarted with priority 7, still paused, its 10 jobs kept",
                s -> !s.ready() && s.priority() == 7 && s.active() == 10);
        jobs.resume("cfg-update");
        await("the 10 jobs queued before the update run", () -> waiting.stream().allMatch(id -> handler.runsOf(id) > 0));
        String after = push("cfg-update", "cfg.job", "");
        await("a job pushed after the update runs", () -> handler.runsOf(after) == 1);
        assertEquals("new jobs get the new priority", 7, handler.runsOfJob(after).get(0).priority());
        for (String id : waiting) {
            assertEquals("job " + id + " ran exactly once", 1, handler.runsOf(id));
        }
        assertEquals("the pipeline is the same one (no duplicate)", 1,
                jobs.list().stream().filter("cfg-update"::equals).count());
    }

    @Test
    public void aDeletedConfigurationRemovesThePipelineAndReportsItsQueuedJobs() {
        Jobs jobs = jobs();
        EventRecorder events = EventRecorder.start(this);
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        Configuration doomed = createPipelineConfig("cfg-delete", Map.of("driver", "memory"));
        createPipelineConfig("cfg-survivor", Map.of("driver", "memory"));
        awaitState("cfg-delete", "ready", s -> s.ready());
        awaitState("cfg-survivor", "ready", s -> s.ready());
        jobs.pause("cfg-delete");
        for (int i = 0; i < 5; i++) {
            push("cfg-delete", "cfg.job", "");
        }

        deleteConfig(doomed);

        await("the pipeline is gone from list", () -> !jobs.list().contains("cfg-delete"));
        await("a DESTROYED event reports the 5 queued jobs; events: " + events.topics(),
                () -> events.has("jobs/pipeline/DESTROYED", "pipeline", "cfg-delete")
                        && events.events("jobs/pipeline/DESTROYED").stream()
                                .filter(e -> "cfg-delete".equals(e.getProperty("pipeline")))
                                .anyMatch(e -> Integer.valueOf(5).equals(e.getProperty("discarded"))));
        JobsException e = expectThrows(JobsException.class, () -> push("cfg-delete", "cfg.job", ""));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown pipeline 'cfg-delete'"));
        assertEquals("none of its jobs ran", 0, handler.count());

        String id = push("cfg-survivor", "cfg.job", "");
        await("another pipeline keeps working", () -> handler.runsOf(id) == 1);
    }

    @Test
    public void aConfigurationWithoutNameIsNamedAfterItsFileInstallFile() {
        // what FileInstall sets for conf/jobs.pipeline-fromfile.cfg
        createFactoryConfig(PIPELINE_FACTORY_PID, "fromfile", Map.of("driver", "memory",
                "felix.fileinstall.filename", "file:/opt/jobs/conf/jobs.pipeline-fromfile.cfg"));
        await("a pipeline named 'fromfile' in " + jobs().list(), () -> jobs().list().contains("fromfile"));
        awaitState("fromfile", "ready", s -> s.ready());
    }

    @Test
    public void aNamedFactoryConfigurationWithoutNameIsNamedAfterItsConfigurationName() {
        // what Karaf's config:edit --alias and getFactoryConfiguration("jobs.pipeline", "orders-alias") make: the PID
        // jobs.pipeline~orders-alias, no name property, no file
        createFactoryConfig(PIPELINE_FACTORY_PID, "orders-alias", Map.of("driver", "memory"));
        await("a pipeline named 'orders-alias' in " + jobs().list(), () -> jobs().list().contains("orders-alias"));
        awaitState("orders-alias", "ready", s -> s.ready());
    }

    @Test
    public void deletingAConfigurationWhileAJobRunsWaitsOnlyTheRuntimeTimeout() throws Exception {
        setConfig(JOBS_PID, Map.of("timeout", 2));
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler stuck = new RecordingHandler(job -> release.await(60, TimeUnit.SECONDS));
        registerHandler(stuck, "stuck.job");
        RecordingHandler quick = new RecordingHandler();
        registerHandler(quick, "quick.job");
        try {
            Configuration config = createPipelineConfig("cfg-busy", Map.of("driver", "memory"));
            awaitState("cfg-busy", "ready", s -> s.ready());
            // configuration events reach the runtime in order: timeout=2 applies before this pipeline exists
            push("cfg-busy", "stuck.job", "");
            await("the job is running", () -> stuck.running() == 1);

            deleteConfig(config);

            // the runtime gives a running job `timeout` (2 s) to finish, then lets the pipeline go
            await("the pipeline is gone although its job still runs", () -> !jobs().list().contains("cfg-busy"));
            assertEquals("the job was still running", 1, stuck.running());
            createPipelineConfig("cfg-after-busy", Map.of("driver", "memory"));
            awaitState("cfg-after-busy", "configurations are still processed", s -> s.ready());
            String id = push("cfg-after-busy", "quick.job", "");
            await("and their jobs run", () -> quick.runsOf(id) == 1);
        } finally {
            release.countDown();
        }
    }
}
