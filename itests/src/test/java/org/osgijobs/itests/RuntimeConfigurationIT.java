package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
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

/** The global {@code jobs} configuration changed while the runtime runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeConfigurationIT extends ItestSupport {

    @Test
    public void numWorkersChangedAtRuntimeChangesHowManyJobsRunAtOnce() throws Exception {
        setConfig(JOBS_PID, Map.of("num_workers", 1));
        RuntimeThreads.awaitWorkers(1);
        CountDownLatch gate = new CountDownLatch(1);
        RecordingHandler handler = new RecordingHandler(job -> gate.await(60, TimeUnit.SECONDS));
        registerHandler(handler, "gate.job");
        declare(memoryPipeline("workers"));
        jobs().resume("workers");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(push("workers", "gate.job", ""));
        }

        await("one job runs", () -> handler.running() == 1);
        assertHoldsFor("with num_workers=1 no second job starts", Duration.ofSeconds(1),
                () -> handler.count() == 1 && handler.running() == 1);

        setConfig(JOBS_PID, Map.of("num_workers", 3));

        await("with num_workers=3, three jobs run at once", () -> handler.running() == 3);
        assertHoldsFor("and not more", Duration.ofMillis(500), () -> handler.running() == 3);
        gate.countDown();
        await("all jobs ran", () -> ids.stream().allMatch(id -> handler.runsOf(id) == 1));
        assertEquals(3, handler.mostRunningAtOnce());
    }

    @Test
    public void pipelineSizeBoundsTheSharedQueueAndAFullPipelineMakesPushesWaitForRoom() throws Exception {
        setConfig(JOBS_PID, Map.of("num_workers", 1, "pipeline_size", 2));
        RuntimeThreads.awaitWorkers(1);
        CountDownLatch gate = new CountDownLatch(1);
        RecordingHandler handler = new RecordingHandler(job -> gate.await(60, TimeUnit.SECONDS));
        registerHandler(handler, "bounded.job");
        declare(memoryPipeline("bounded", "max_jobs", "1"));
        jobs().resume("bounded");

        // one job at the worker, two in the shared queue (pipeline_size), one in the driver (max_jobs):
        // the fifth push must wait for room, without holding back anything else
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        await("the first job runs", () -> {
            if (ids.isEmpty()) {
                ids.add(push("bounded", "bounded.job", ""));
            }
            return handler.running() == 1;
        });
        for (int i = 0; i < 3; i++) {
            ids.add(push("bounded", "bounded.job", ""));
        }
        assertEquals("the shared queue holds pipeline_size jobs", 3, jobs().stat("bounded").active());
        Thread producer = new Thread(() -> ids.add(push("bounded", "bounded.job", "")), "itest-blocked-producer");
        producer.start();
        assertHoldsFor("the push into a full pipeline waits", Duration.ofSeconds(1), producer::isAlive);

        gate.countDown();
        producer.join(30_000);
        await("all five jobs ran", () -> handler.count() == 5);
    }
}
