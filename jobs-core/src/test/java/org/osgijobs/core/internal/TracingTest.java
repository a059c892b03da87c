package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.api.monitor.JobsTracer;

/** A {@link JobsTracer}'s spans around pushes and runs: headers added, ends called once, on the right thread. */
public class TracingTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private long serviceIds = 100;

    /** Records what the runtime asks of it; its push span adds a traceparent naming the job. */
    private final JobsTracer recording = new JobsTracer() {
        @Override
        public PushSpan pushing(Message message) {
            events.add("push " + message.pipeline() + " " + message.id());
            return new PushSpan() {
                @Override
                public Map<String, List<String>> headers() {
                    return Map.of("traceparent", List.of("00-trace-of-" + message.id() + "-01"));
                }

                @Override
                public void end(Throwable failure) {
                    events.add("push ended " + message.id() + (failure == null ? "" : " " + failure.getMessage()));
                }
            };
        }

        @Override
        public RunSpan running(String pipeline, JobContext job) {
            Thread started = Thread.currentThread();
            events.add("run " + pipeline + " " + job.id() + " " + job.header("traceparent"));
            return failure -> {
                assertSame("ended on the thread it began on", started, Thread.currentThread());
                events.add("run ended " + job.id() + (failure == null ? "" : " " + failure.getMessage()));
            };
        }
    };

    @Before
    public void start() throws Exception {
        runtime.addConstructor(drivers, Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, serviceIds++));
        runtime.activate(Map.of("num_workers", 1, "timeout", 5));
        runtime.addHandler(job -> {
            seen.add(job.id() + " " + job.header("traceparent"));
            if (job.payloadAsString().equals("boom")) {
                throw new IllegalStateException("boom");
            }
        }, Map.of(JobHandler.JOB_NAME, "traced", Constants.SERVICE_ID, serviceIds++));
        runtime.configure("jobs.pipeline~t", Map.of(Constants.SERVICE_PID, "jobs.pipeline~t", "name", "t",
                "driver", "test", "max_attempts", "1"));
        runtime.awaitTransitions(10_000);
    }

    @After
    public void stop() {
        runtime.deactivate();
    }

    private static Message job(String id, String payload) {
        return Message.builder("traced").id(id).pipeline("t").payload(payload).build();
    }

    @Test(timeout = 30_000)
    public void withoutATracerJobsCarryNoTraceHeader() throws Exception {
        runtime.push(job("plain", "ok"));
        assertEquals("plain null", seen.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(), events);
    }

    @Test(timeout = 30_000)
    public void thePushSpansHeadersTravelWithTheJobAndTheRunSpanEndsOnTheWorker() throws Exception {
        runtime.setTracer(recording);
        runtime.push(job("j1", "ok"));
        assertEquals("j1 00-trace-of-j1-01", seen.poll(10, TimeUnit.SECONDS));
        Eventually.await("both spans ended", () -> events.contains("run ended j1") && events.contains("push ended j1"));
        assertSpans("j1", "");

        events.clear();
        runtime.pushAsync(job("j2", "boom")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("j2 00-trace-of-j2-01", seen.poll(10, TimeUnit.SECONDS));
        Eventually.await("both spans ended", () -> events.contains("run ended j2 boom")
                && events.contains("push ended j2"));
        assertSpans("j2", " boom"); // the handler's failure ends the run span

        runtime.unsetTracer(recording);
        events.clear();
        runtime.push(job("j3", "ok"));
        assertEquals("j3 null", seen.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(), events);
    }

    /**
     * The push span begins before the run span, which ends after it began; the worker may run the job before the
     * producer's thread ends the push span, so those two are not ordered.
     */
    private void assertSpans(String id, String runFailure) {
        assertEquals(events.toString(), 4, events.size());
        assertEquals("push t " + id, events.get(0));
        int run = events.indexOf("run t " + id + " 00-trace-of-" + id + "-01");
        assertTrue(events.toString(), run > 0 && events.indexOf("run ended " + id + runFailure) > run);
        assertTrue(events.toString(), events.contains("push ended " + id));
    }

    @Test(timeout = 30_000)
    public void aFailedPushEndsItsSpanWithTheFailure() {
        runtime.setTracer(recording);
        runtime.pause("t");
        drivers.last().capacity = 0; // the test driver refuses every push now
        try {
            runtime.push(job("refused", "ok"));
        } catch (RuntimeException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("test driver full"));
        }
        assertEquals(List.of("push t refused", "push ended refused test driver full"), events);
    }

    @Test(timeout = 30_000)
    public void aTracerThatThrowsLeavesJobsUntracedButRunning() throws Exception {
        runtime.setTracer(new JobsTracer() {
            @Override
            public PushSpan pushing(Message message) {
                throw new IllegalStateException("tracer bug");
            }

            @Override
            public RunSpan running(String pipeline, JobContext job) {
                throw new IllegalStateException("tracer bug");
            }
        });
        runtime.push(job("untraced", "ok"));
        assertEquals("untraced null", seen.poll(10, TimeUnit.SECONDS));
        assertNull(seen.poll(200, TimeUnit.MILLISECONDS));
    }
}
