package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.osgijobs.core.internal.Eventually.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobHandler;

/** What becomes of a run: decided once, settled once, and a run that ignores its timeout does not cost a worker. */
public class DispatcherOutcomeTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final CountDownLatch release = new CountDownLatch(1);
    private long serviceIds = 100;

    private void start(int workers) throws Exception {
        runtime.addConstructor(drivers, Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, serviceIds++));
        runtime.activate(Map.of("num_workers", workers, "timeout", 5));
        Map<String, Object> props = new HashMap<>(Map.of(Constants.SERVICE_PID, "jobs.pipeline~p", "name", "p",
                "driver", "test", "job_timeout", "1", "retry_delay", "0"));
        runtime.configure("jobs.pipeline~p", props);
        runtime.awaitTransitions(10_000);
    }

    @After
    public void stop() {
        release.countDown();
        runtime.deactivate();
    }

    private void handler(JobHandler h) {
        runtime.addHandler(h, Map.of(JobHandler.JOB_NAME, "*", Constants.SERVICE_ID, serviceIds++));
    }


    @Test(timeout = 60_000)
    public void anAutoAckedJobThatItsHandlerRejectsIsSettledOnce() throws Exception {
        start(2);
        handler(job -> job.nack(false, 0));
        runtime.push(Message.builder("reject").pipeline("p").autoAck(true).build());
        await("settled", () -> !drivers.last().settled.isEmpty());
        Thread.sleep(200); // a second settlement would follow at once
        assertEquals(1, drivers.last().settled.size());
        assertEquals("ack", drivers.last().settled.get(0).outcome);
    }

    @Test(timeout = 60_000)
    public void anErrorThrownByAHandlerIsAFailedRunAndTheOnlyWorkerGoesOn() throws Exception {
        start(1);
        CompletableFuture<Integer> secondAttempt = new CompletableFuture<>();
        handler(job -> {
            if (job.attempt() == 1) {
                throw new StackOverflowError("a handler's bug");
            }
            secondAttempt.complete(job.attempt());
        });
        runtime.push(Message.builder("deep").pipeline("p").build());

        assertEquals("the retry ran on the same, only worker", 2, (int) secondAttempt.get(15, TimeUnit.SECONDS));
        await("the retry is settled", () -> runtime.stats("p").processed() == 1);
        PipelineStats stats = runtime.stats("p");
        assertEquals(1, stats.failed());
        assertEquals(0, stats.inFlight());
    }

    @Test(timeout = 60_000)
    public void aRunThatIgnoresItsTimeoutIsAbandonedItsWorkerReplacedAndItsJobRetried() throws Exception {
        start(1);
        CompletableFuture<Integer> secondAttempt = new CompletableFuture<>();
        CountDownLatch stuckReturned = new CountDownLatch(1);
        handler(job -> {
            if (job.attempt() == 1) {
                while (true) { // ignores cancellation and interrupts
                    try {
                        if (release.await(100, TimeUnit.MILLISECONDS)) {
                            break;
                        }
                    } catch (InterruptedException ignored) {
                        // a stuck handler
                    }
                }
                stuckReturned.countDown();
                return;
            }
            secondAttempt.complete(job.attempt());
        });
        runtime.push(Message.builder("stuck").pipeline("p").build());

        assertEquals("the retry ran on the replacement of the only worker", 2,
                (int) secondAttempt.get(15, TimeUnit.SECONDS));
        await("the retry is settled", () -> runtime.stats("p").processed() == 1);
        PipelineStats stats = runtime.stats("p");
        assertEquals(1, stats.abandoned());
        assertEquals(1, stats.timedOut());
        assertEquals("the abandoned run no longer counts as in flight", 0, stats.inFlight());

        release.countDown();
        assertTrue(stuckReturned.await(10, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertEquals("the abandoned run's return does not count", 1, runtime.stats("p").processed());
        assertEquals("only the retry is settled (acked); the abandoned run settles nothing", List.of("ack"),
                drivers.last().settled.stream().map(j -> j.outcome).toList());
    }
}
