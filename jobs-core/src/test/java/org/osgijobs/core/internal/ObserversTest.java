package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.osgijobs.core.internal.Eventually.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.api.monitor.JobsObserver;

/**
 * JobsObserver services hear of every push and run, with times, and one that throws harms nothing; the runtime's
 * gauges (workers, busy workers, shared queue) read what is there.
 */
public class ObserversTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private long serviceIds = 100;

    private final JobsObserver recording = new JobsObserver() {
        @Override
        public void pushed(String pipeline, long latencyNanos) {
            heard.add("pushed " + pipeline + (latencyNanos > 0 ? "" : " no time"));
        }

        @Override
        public void pushFailed(String pipeline, long latencyNanos, JobsException.Kind kind) {
            heard.add("failed " + pipeline + " " + kind);
        }

        @Override
        public void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
            heard.add("ran " + pipeline + " " + jobName + " " + succeeded + (runNanos > 0 ? "" : " no time"));
        }
    };

    private final JobsObserver throwing = new JobsObserver() {
        @Override
        public void pushed(String pipeline, long latencyNanos) {
            throw new IllegalStateException("an observer's bug");
        }

        @Override
        public void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
            throw new IllegalStateException("an observer's bug");
        }
    };

    @After
    public void stop() {
        runtime.deactivate();
    }

    @Test(timeout = 60_000)
    public void observersHearPushesAndRunsAndOneThatThrowsChangesNothing() throws Exception {
        runtime.addConstructor(drivers, Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, serviceIds++));
        runtime.addObserver(throwing);
        runtime.addObserver(recording);
        runtime.activate(Map.of("num_workers", 1, "timeout", 5, "max_job_size", 10));
        runtime.configure("jobs.pipeline~p", new HashMap<>(Map.of(Constants.SERVICE_PID, "jobs.pipeline~p", "name",
                "p", "driver", "test", "retry_delay", "0", "max_attempts", "1")));
        runtime.awaitTransitions(10_000);
        runtime.addHandler(job -> {
            if (job.name().equals("bad")) {
                throw new Exception("handler failure");
            }
        }, Map.of(JobHandler.JOB_NAME, "*", Constants.SERVICE_ID, serviceIds++));

        runtime.push(Message.builder("good").pipeline("p").build());
        runtime.pushAsync(Message.builder("bad").pipeline("p").build()).toCompletableFuture().join();
        try {
            runtime.push(Message.builder("big").pipeline("p").payload("more than ten bytes").build());
        } catch (JobsException expected) {
            assertEquals(JobsException.Kind.BAD_INPUT, expected.kind());
        }
        await("both ran", () -> heard.stream().filter(h -> h.startsWith("ran")).count() == 2);
        assertTrue(heard.toString(), heard.containsAll(List.of("pushed p", "failed p BAD_INPUT", "ran p good true",
                "ran p bad false")));
        assertEquals(heard.toString(), 2, heard.stream().filter(h -> h.equals("pushed p")).count());
        assertEquals(2, runtime.stats("p").pushed());
        assertEquals(1, runtime.stats("p").processed());

        assertEquals(1, runtime.workers());
        assertEquals(0, runtime.busyWorkers());
        assertEquals(0, runtime.queuedJobs());
        assertEquals(RuntimeSettings.DEFAULT_PIPELINE_SIZE, runtime.queueCapacity());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        runtime.addHandler(job -> release.await(), Map.of(JobHandler.JOB_NAME, "hold", Constants.SERVICE_ID,
                serviceIds++, Constants.SERVICE_RANKING, 10));
        runtime.push(Message.builder("hold").pipeline("p").build());
        runtime.push(Message.builder("hold").pipeline("p").build());
        await("one busy worker, one job waiting", () -> runtime.busyWorkers() == 1 && runtime.queuedJobs() == 1);
        release.countDown();
        await("idle", () -> runtime.busyWorkers() == 0 && runtime.queuedJobs() == 0);

        runtime.removeObserver(recording);
        runtime.push(Message.builder("good").pipeline("p").build());
        await("ran", () -> runtime.stats("p").processed() == 4);
        assertEquals(heard.toString(), 4, heard.stream().filter(h -> h.equals("pushed p")).count());
    }
}
