package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.testing.ScriptedDriver;

/** Looking into a dead-letter pipeline and running its jobs again ({@code waiting}, {@code runAgain}). */
public class RunAgainTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final BlockingQueue<JobContext> ran = new LinkedBlockingQueue<>();
    private final AtomicBoolean fixed = new AtomicBoolean();
    private long serviceIds = 100;

    @Before
    public void start() throws Exception {
        register(drivers);
        runtime.activate(Map.of("num_workers", 2, "timeout", 5, "driver_wait", 1));
        runtime.addHandler(job -> {
            if (!fixed.get()) {
                throw new IllegalStateException("the mail server is down");
            }
            ran.add(job);
        }, Map.of(JobHandler.JOB_NAME, "mail", Constants.SERVICE_ID, serviceIds++));
        configure("jobs.pipeline~failed", "name", "failed", "driver", "test");
        runtime.pause("failed");
        configure("jobs.pipeline~work", "name", "work", "driver", "test", "max_attempts", "2", "retry_delay", "0",
                "dead_letter_pipeline", "failed");
    }

    @After
    public void stop() {
        runtime.deactivate();
    }

    private void register(Constructor c) throws Exception {
        runtime.addConstructor(c, Map.of(Constructor.DRIVER_NAME, c.name(), Constants.SERVICE_ID, serviceIds++));
        runtime.awaitTransitions(10_000);
    }

    private void configure(String pid, String... kv) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of(Constants.SERVICE_PID, pid));
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        runtime.configure(pid, props);
        runtime.awaitTransitions(10_000);
    }

    /** Pushes a job that fails both attempts and waits until it is in the dead-letter pipeline. */
    private Message deadLettered(String id) throws Exception {
        Message job = Message.builder("mail").id(id).pipeline("work").payload("to bob").priority(3)
                .headers(Map.of("traceparent", List.of("00-abc-def-01"))).build();
        runtime.push(job);
        Eventually.await("job " + id + " dead-lettered", () -> runtime.waiting("failed", 10).stream()
                .anyMatch(m -> m.id().equals(id)));
        return job;
    }

    @Test(timeout = 30_000)
    public void aDeadLetteredJobIsListedWithItsFailureAndRunsAgainInItsPipelineFromAttemptOne() throws Exception {
        deadLettered("mail-1");
        Message letter = runtime.waiting("failed", 10).get(0);
        assertEquals("work", letter.headers().get(PipelineAdmin.DEAD_LETTER_FROM_HEADER).get(0));
        assertTrue(letter.headers().get(PipelineAdmin.ERROR_HEADER).get(0).contains("the mail server is down"));
        assertEquals("2", letter.headers().get(JobContext.ATTEMPT_HEADER).get(0));

        fixed.set(true);
        assertEquals("work", runtime.runAgain("failed", "mail-1"));

        JobContext again = ran.poll(10, TimeUnit.SECONDS);
        assertEquals("mail-1", again.id());
        assertEquals("work", again.pipeline());
        assertEquals("its attempts start over", 1, again.attempt());
        assertNull("no failure header left", again.header(PipelineAdmin.ERROR_HEADER));
        assertNull(again.header(PipelineAdmin.DEAD_LETTER_FROM_HEADER));
        assertEquals("its own headers stay", "00-abc-def-01", again.header("traceparent"));
        assertEquals("to bob", again.payloadAsString());
        assertEquals(List.of(), runtime.waiting("failed", 10));
    }

    @Test(timeout = 30_000)
    public void anUnknownIdIsBadInputNamingItAndChangesNothing() throws Exception {
        deadLettered("mail-2");
        JobsException e = assertThrows(JobsException.class, () -> runtime.runAgain("failed", "nope"));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertEquals("pipeline 'failed': no waiting job has id 'nope'", e.getMessage());
        assertEquals(1, runtime.waiting("failed", 10).size());
        assertEquals(JobsException.Kind.UNKNOWN_PIPELINE,
                assertThrows(JobsException.class, () -> runtime.runAgain("nowhere", "mail-2")).kind());
    }

    @Test(timeout = 30_000)
    public void aJobThatWasNotDeadLetteredStaysWhereItIs() throws Exception {
        runtime.push(Message.builder("mail").id("direct").pipeline("failed").build());
        JobsException e = assertThrows(JobsException.class, () -> runtime.runAgain("failed", "direct"));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("job direct in pipeline 'failed' was not dead-lettered"));
        assertEquals(List.of("direct"), runtime.waiting("failed", 10).stream().map(Message::id).toList());
    }

    @Test(timeout = 30_000)
    public void whenItsPipelineIsGoneTheJobGoesBackToTheDeadLetters() throws Exception {
        deadLettered("mail-3");
        runtime.destroy("work");
        JobsException e = assertThrows(JobsException.class, () -> runtime.runAgain("failed", "mail-3"));
        assertEquals(JobsException.Kind.UNKNOWN_PIPELINE, e.kind());
        List<Message> left = runtime.waiting("failed", 10);
        assertEquals(List.of("mail-3"), left.stream().map(Message::id).toList());
        assertEquals("unchanged, failure headers and all", "work",
                left.get(0).headers().get(PipelineAdmin.DEAD_LETTER_FROM_HEADER).get(0));
    }

    @Test(timeout = 30_000)
    public void theLimitIsCheckedAndADriverThatCannotListSaysSo() throws Exception {
        deadLettered("mail-4");
        deadLettered("mail-5");
        assertEquals(1, runtime.waiting("failed", 1).size());
        assertEquals(JobsException.Kind.BAD_INPUT,
                assertThrows(JobsException.class, () -> runtime.waiting("failed", 0)).kind());
        assertEquals(JobsException.Kind.BAD_INPUT,
                assertThrows(JobsException.class, () -> runtime.waiting("failed", 1001)).kind());

        register(new ScriptedDriver.Factory());
        configure("jobs.pipeline~broker", "name", "broker", "driver", ScriptedDriver.KIND);
        JobsException e = assertThrows(JobsException.class, () -> runtime.waiting("broker", 10));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'broker': driver scripted cannot list its jobs"));
    }
}
