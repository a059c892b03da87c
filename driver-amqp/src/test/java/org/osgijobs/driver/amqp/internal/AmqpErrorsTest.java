package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.SharedTestQueue;

/**
 * Bad connections are pipeline errors that name the problem, are retried, and never show a credential.
 */
public class AmqpErrorsTest {
    private static final String USER = "secret-user-7c1";
    private static final String PASSWORD = "secret-pass-9f3";

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertNoSecret(String text) {
        assertFalse(text, text.contains(USER));
        assertFalse(text, text.contains(PASSWORD));
    }

    @Test
    public void anUnreachableBrokerIsAPipelineErrorNotACrash() throws Exception {
        int port = freePort();
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr", "amqp://" + USER + ":"
                + PASSWORD + "@127.0.0.1:" + port + "/")), AmqpFixture.options("p", "queue", "q", "timeout", "1"));
        State s = d.state();
        assertTrue(s.errorMessage(), s.errorMessage().contains("no connection to amqp://***:***@127.0.0.1:" + port
                + " (vhost '/'): connection refused"));
        assertNoSecret(s.errorMessage());
        d.run(Pipeline.of(AmqpFixture.options("p"))); // consumption starts when the broker is there
        assertTrue(d.state().ready());
        ExecutionException e = assertThrows(ExecutionException.class, () -> d.push(Message.builder("x")
                .pipeline("p").build()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("was not stored within 1 s"));
        assertNoSecret(e.getCause().getMessage());
    }

    @Test
    public void aFailedFirstConnectionIsRetriedUntilTheBrokerAnswers() throws Exception {
        try (TcpProxy proxy = new TcpProxy(RabbitMqBroker.PORT)) {
            proxy.down();
            String q = amqp.queue("late");
            AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr",
                    "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/")), AmqpFixture.options("p", "queue", q,
                            "routing_key", q));
            assertTrue(d.state().errorMessage().contains("connection refused"));
            proxy.up();
            assertTrue(Poll.eventually(() -> d.state().errorMessage().isEmpty(), 30));
            d.push(Message.builder("x").pipeline("p").build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void badCredentialsAreNamedWithoutShowingThem() throws Exception {
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr", "amqp://" + USER + ":"
                + PASSWORD + "@127.0.0.1:5672/")), AmqpFixture.options("p"));
        String error = d.state().errorMessage();
        assertTrue(error, error.contains("the broker refused the user name or password (ACCESS_REFUSED)"));
        assertNoSecret(error);
    }

    @Test
    public void anUnknownVhostIsNamed() throws Exception {
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr",
                "amqp://guest:guest@127.0.0.1:5672/no-such-vhost")), AmqpFixture.options("p"));
        String error = d.state().errorMessage();
        assertTrue(error, error.contains("vhost 'no-such-vhost'"));
        assertFalse(error, error.isEmpty());
    }

    @Test
    public void aMalformedConnectionConfigurationFailsEveryPipelineWithItsReason() {
        AmqpConstructor constructor = new AmqpConstructor();
        constructor.activate(Map.of("addr", "amqp://" + USER + ":" + PASSWORD + "@h:99999/"));
        JobsException e = assertThrows(JobsException.class, () -> constructor.create(TestDriverContext.declared(
                AmqpFixture.options("p"))));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': jobs.amqp: option 'addr' is malformed"));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertNoSecret(e.getMessage());
        constructor.deactivate();
    }

    @Test
    public void malformedPipelineOptionsFailTheBuildAndNameTheOption() {
        AmqpConstructor constructor = new AmqpConstructor();
        constructor.activate(Map.of("addr", RabbitMqBroker.ADDR));
        try {
            JobsException type = assertThrows(JobsException.class, () -> constructor.create(
                    TestDriverContext.declared(AmqpFixture.options("p", "exchange_type", "x-delayed"))));
            assertTrue(type.getMessage().contains("option 'exchange_type'"));
            JobsException fanout = assertThrows(JobsException.class, () -> constructor.create(
                    TestDriverContext.declared(AmqpFixture.options("p", "exchange_type", "fanout"))));
            assertTrue(fanout.getMessage().contains("needs option 'queue'"));
            JobsException headers = assertThrows(JobsException.class, () -> constructor.create(
                    TestDriverContext.configured("jobs.pipeline~p", AmqpFixture.options("p", "queue", "q",
                            "queue_headers", "{x"))));
            assertTrue(headers.getMessage().contains("option 'queue_headers' must be a JSON object"));
            for (JobsException e : new JobsException[] {type, fanout, headers}) {
                assertEquals(e.getMessage(), JobsException.Kind.BAD_INPUT, e.kind());
            }
        } finally {
            constructor.deactivate();
        }
    }

    @AfterClass
    public static void noCredentialInAnyLogLine() throws Exception {
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (file != null && Files.exists(Path.of(file))) {
            assertNoSecret(Files.readString(Path.of(file)));
        }
    }
}
