package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.SharedTestQueue;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Bad input gets an error naming it; an unreachable server fails pushes in time, naming it without credentials. */
public class SqsErrorsTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    private static void badOption(String key, String value, String expected) {
        Map<String, Object> o = new java.util.HashMap<>(Map.of("name", "p", "driver", "sqs", key, value));
        try {
            PipelineOptions.of(Pipeline.of(o));
            fail(key + "=" + value + " was taken");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains(key));
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }

    @Test
    public void malformedPipelineOptionsAreNamed() {
        badOption("prefetch", "11", "1 to 10");
        badOption("prefetch", "many", "prefetch");
        badOption("wait_time_seconds", "21", "0 to 20");
        badOption("visibility_timeout", "-1", "0 to 43200");
        badOption("queue", "has space", "queue name");
        badOption("max_delay_step", "901", "1 to 900");
        badOption("attributes.", "x", "a key with a name");
    }

    @Test
    public void defaultsAreRoadRunners() {
        PipelineOptions o = PipelineOptions.of(Pipeline.of(Map.of("name", "p", "driver", "sqs")));
        assertEquals("default", o.queue);
        assertEquals(1, o.prefetch);
        assertEquals(1, o.maxMessagesInFlight);
        assertEquals(0, o.visibilityTimeout);
        assertEquals(0, o.errorVisibilityTimeout);
        assertFalse(o.retainFailedJobs);
        assertEquals(0, o.waitTimeSeconds);
        assertFalse(o.skipQueueDeclaration);
        assertEquals(900, o.maxDelayStep);
        assertEquals(Map.of(), o.attributes);
        PipelineOptions flattened = PipelineOptions.of(Pipeline.of(Map.of("name", "p", "driver", "sqs",
                "prefetch", "10", "attributes.VisibilityTimeout", "30", "tags.team", "a")));
        assertEquals(10, flattened.maxMessagesInFlight);
        assertEquals(Map.of("VisibilityTimeout", "30"), flattened.attributes);
        assertEquals(Map.of("team", "a"), flattened.tags);
    }

    @Test
    public void aMalformedConnectionIsNamedWithoutItsSecret() {
        try {
            ConnectionSettings.of(Map.of("key", "AKIAEXAMPLE"));
            fail();
        } catch (JobsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'key' and 'secret' go together"));
        }
        try {
            ConnectionSettings.of(Map.of("endpoint", "http://user:pa55word@host:9324"));
            fail();
        } catch (JobsException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("pa55word"));
            assertTrue(e.getMessage(), e.getMessage().contains("endpoint"));
        }
        ConnectionSettings s = ConnectionSettings.of(Map.of("key", "AKIAEXAMPLE", "secret", "very-secret-value",
                "session_token", "token-value", "region", "eu-west-1"));
        assertFalse(s.toString().contains("very-secret-value"));
        assertFalse(s.toString().contains("token-value"));
    }

    @Test
    public void pushesToAnUnreachableServerFailInTimeNamingItAndNoSecretIsLogged() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing listens there any more
        }
        String endpoint = "http://127.0.0.1:" + port;
        SqsClient client = ConnectionSettings.of(Map.of("endpoint", endpoint, "region", "elasticmq", "key",
                "AKIAUNREACHABLE", "secret", "s3cr3t-never-logged")).client(3);
        try {
            Map<String, Object> o = sqs.options("p", "timeout", "3");
            SqsDriver d = new SqsDriver(Pipeline.of(o), client, endpoint, new SharedTestQueue("p"), x -> {
            });
            d.start(); // unreachable: retried in the background
            assertTrue(d.state().errorMessage(), d.state().errorMessage().contains(endpoint));
            long start = System.nanoTime();
            try {
                d.push(Message.builder("x").id("u").payload("x").pipeline("p").build()).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                fail("nothing answers");
            } catch (ExecutionException e) {
                JobsException j = (JobsException) e.getCause();
                assertEquals(JobsException.Kind.UNAVAILABLE, j.kind());
                assertTrue(j.getMessage(), j.getMessage().contains(endpoint));
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
            d.stop();
        } finally {
            client.close();
        }
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/driver-sqs-test.log"));
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            assertTrue("the outage was logged", lines.stream().anyMatch(l -> l.contains(endpoint)));
            assertFalse("no secret in the log", lines.stream().anyMatch(l -> l.contains("s3cr3t-never-logged")));
        }
    }

    @Test
    public void headersJsonReadsWhatRoadRunnerWritesAndRefusesTheRest() {
        assertEquals(Map.of("a", List.of("1", "2"), "b", List.of("x")),
                HeadersJson.read("{\"a\":[\"1\",\"2\"], \"b\":\"x\"}"));
        assertEquals(Map.of(), HeadersJson.read("null"));
        assertEquals(Map.of("q", List.of("\"\\\n\u00e9")), HeadersJson.read(HeadersJson.write(
                Map.of("q", List.of("\"\\\n\u00e9")))));
        for (String bad : List.of("{", "{\"a\":1}", "[]", "{\"a\":[\"x\"]} trailing")) {
            try {
                HeadersJson.read(bad);
                fail(bad);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }
}
