package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/** Bad AMQP input gets errors that name the problem, and the other pipelines keep working. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpBadInputIT extends AmqpItestSupport {
    private static final String USER = "itest-user-51d";
    private static final String PASSWORD = "itest-pass-e07";

    /** A memory pipeline and a working amqp pipeline, both processing: the witnesses that nothing else broke. */
    private RecordingHandler witnesses(boolean withAmqp) {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "witness.job");
        declare(memoryPipeline("mem-witness"));
        jobs().resume("mem-witness");
        if (withAmqp) {
            String q = queueName("witness");
            declare(amqpPipeline("amqp-witness", "queue", q, "routing_key", q));
            jobs().resume("amqp-witness");
        }
        return handler;
    }

    private void stillWorking(RecordingHandler handler, String... pipelines) {
        for (String p : pipelines) {
            String id = push(p, "witness.job", "still here");
            await(p + " still processes", () -> handler.runsOf(id) == 1);
        }
    }

    private static void assertNoSecret(String text) {
        assertFalse(text, text.contains(USER));
        assertFalse(text, text.contains(PASSWORD));
    }

    @Test
    public void malformedPipelineOptionsAreRefusedByName() {
        RecordingHandler handler = witnesses(true);
        String q = queueName("bad");
        JobsException type = expectThrows(JobsException.class, () -> jobs().declare(amqpPipeline("amqp-bad-type",
                "queue", q, "exchange_type", "x-delayed-message")));
        assertTrue(type.getMessage(), type.getMessage().contains(
                "option 'exchange_type' must be one of direct, fanout, topic, headers, got 'x-delayed-message'"));
        JobsException fanout = expectThrows(JobsException.class, () -> jobs().declare(amqpPipeline(
                "amqp-bad-fanout", "exchange", exchangeName("fan"), "exchange_type", "fanout")));
        assertTrue(fanout.getMessage(), fanout.getMessage().contains("exchange_type 'fanout' needs option 'queue'"));
        JobsException json = expectThrows(JobsException.class, () -> jobs().declare(amqpPipeline("amqp-bad-json",
                "queue", q, "queue_headers", "{\"x-max-priority\": 10")));
        assertTrue(json.getMessage(), json.getMessage().contains("option 'queue_headers' must be a JSON object"));
        assertFalse(jobs().list().contains("amqp-bad-type"));
        stillWorking(handler, "mem-witness", "amqp-witness");
    }

    @Test
    public void aConfiguredPipelineWithABadOptionShowsItInItsState() {
        RecordingHandler handler = witnesses(true);
        createPipelineConfig("amqp-bad-cfg", Map.of("driver", "amqp", "queue", queueName("cfg"), "prefetch",
                "lots"));
        // not just any error: "driver amqp unavailable" shows while the driver re-registers after another test's
        // jobs.amqp change, and must give way to the option's own error
        State s = awaitState("amqp-bad-cfg", "the option's error is shown",
                st -> st.errorMessage().contains("option 'prefetch'"));
        assertTrue(s.errorMessage(), s.errorMessage().contains("option 'prefetch' must be an integer from -2147483648 to 2147483647, got 'lots'"));
        stillWorking(handler, "mem-witness", "amqp-witness");
    }

    @Test
    public void anUnreachableBrokerIsAPipelineErrorAndOtherPipelinesWork() throws Exception {
        RecordingHandler handler = witnesses(false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        useBroker(Map.of("addr", "amqp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/"));
        declare(amqpPipeline("amqp-unreachable", "queue", queueName("unreachable"), "timeout", "2"));
        State s = awaitState("amqp-unreachable", "the connection error is shown",
                st -> st.errorMessage().contains("connection refused"));
        assertTrue(s.errorMessage(), s.errorMessage().contains("127.0.0.1:" + port));
        assertTrue(s.errorMessage(), s.errorMessage().contains("connection refused"));
        assertNoSecret(s.errorMessage());
        JobsException e = expectThrows(JobsException.class, () -> push("amqp-unreachable", "witness.job", "x"));
        assertTrue(e.getMessage(), e.getMessage().contains("was not stored within 2 s"));
        assertNoSecret(e.getMessage());
        stillWorking(handler, "mem-witness");
    }

    @Test
    public void badCredentialsAreNamedWithoutShowingThem() {
        RecordingHandler handler = witnesses(false);
        useBroker(Map.of("addr", "amqp://" + USER + ":" + PASSWORD + "@127.0.0.1:5672/"));
        declare(amqpPipeline("amqp-badlogin", "queue", queueName("badlogin")));
        State s = awaitState("amqp-badlogin", "the login error is shown",
                st -> st.errorMessage().contains("ACCESS_REFUSED"));
        assertTrue(s.errorMessage(), s.errorMessage().contains("refused the user name or password (ACCESS_REFUSED)"));
        assertNoSecret(s.errorMessage());
        assertNoSecret(jobs().stat().toString());
        stillWorking(handler, "mem-witness");
    }
}
