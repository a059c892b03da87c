package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;

import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import org.osgijobs.testing.SharedTestQueue;

/**
 * RoadRunner producers and consumers share the stream with this driver: RoadRunner's messages (body and NATS
 * headers as its driver publishes them) run with every field, what this driver publishes is RoadRunner's format
 * field by field, and messages of other publishers or with malformed fields run with defaults and are settled.
 */
public class NatsWireCompatibilityTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void aRoadRunnerMessageRunsWithEveryField() throws Exception {
        Map<String, Object> o = nats.options("orders");
        SharedTestQueue queue = new SharedTestQueue("orders");
        NatsDriver d = nats.driver(queue, o);
        String subject = (String) o.get("subject");
        Headers h = new Headers().add("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .add("tags", "a", "b");
        nats.js.publish(subject, h, WireFormatTest.GOLDEN.getBytes(StandardCharsets.UTF_8));
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("App\\Jobs\\Ping", job.name());
        assertEquals("0d6ba0b8-6b8a-4a8e-9b52-1a0a3f4c2e11", job.id());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), job.body());
        assertEquals(5, job.priority());
        assertEquals(List.of("a", "b"), job.headers().get("tags"));
        assertEquals(List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                job.headers().get("Traceparent"));
        assertEquals(List.of(subject), job.headers().get("x-nats-subject"));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
    }

    @Test
    public void whatThisDriverPublishesIsRoadRunnersFormat() throws Exception {
        Map<String, Object> o = nats.options("orders");
        NatsDriver d = nats.driver(new SharedTestQueue("orders"), o);
        d.push(Message.builder("App\\Jobs\\Ping").id("id-7").pipeline("orders").payload("hello").priority(4)
                .autoAck(true).header("tags", "a", "b").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        MessageInfo stored = nats.jsm.getMessage((String) o.get("stream"), 1);
        assertEquals(o.get("subject"), stored.getSubject());
        Map<?, ?> body = (Map<?, ?>) Json.parse(new String(stored.getData(), StandardCharsets.UTF_8));
        assertEquals("App\\Jobs\\Ping", body.get("job"));
        assertEquals("id-7", body.get("id"));
        assertEquals("hello", new String(Base64.getDecoder().decode((String) body.get("payload")),
                StandardCharsets.UTF_8));
        Map<?, ?> options = (Map<?, ?>) body.get("options");
        assertEquals(4L, options.get("priority"));
        assertEquals("orders", options.get("pipeline"));
        assertTrue("delay 0 is left out", !options.containsKey("delay"));
        assertEquals(true, options.get("auto_ack"));
        assertEquals(o.get("stream"), options.get("Queue"));
        assertEquals(List.of("a", "b"), stored.getHeaders().get("tags"));
        Path out = Path.of(System.getProperty("nats.test.work", "target/nats-test"), "published-by-driver-nats.json");
        Files.createDirectories(out.getParent());
        Files.write(out, stored.getData()); // for a look by hand, or a RoadRunner consumer
    }

    @Test
    public void foreignAndMalformedMessagesRunWithDefaultsAndAreSettled() throws Exception {
        Map<String, Object> o = nats.options("orders", "priority", "4");
        SharedTestQueue queue = new SharedTestQueue("orders");
        NatsDriver d = nats.driver(queue, o);
        String subject = (String) o.get("subject");
        nats.js.publish(subject, "plain text from another publisher".getBytes(StandardCharsets.UTF_8));
        nats.js.publish(subject, "{\"job\":\"m\",\"id\":\"mal\",\"payload\":42,\"options\":{\"priority\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8));
        d.run(Pipeline.of(o));
        Job foreign = queue.poll(10, TimeUnit.SECONDS);
        Job malformed = queue.poll(10, TimeUnit.SECONDS);
        assertEquals(WireFormat.DEDUCED_NAME, foreign.name());
        assertEquals("plain text from another publisher", new String(foreign.body(), StandardCharsets.UTF_8));
        assertEquals(4, foreign.priority());
        assertEquals(36, foreign.id().length());
        assertEquals("m", malformed.name());
        assertEquals("mal", malformed.id());
        assertEquals(4, malformed.priority());
        assertEquals(0, malformed.body().length);
        assertEquals(Custody.DONE, foreign.settle(Settlement.ack()));
        assertEquals(Custody.DONE, malformed.settle(Settlement.ack()));
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertTrue(log, log.contains("is not RoadRunner's JSON"));
        assertTrue(log, log.contains("malformed payload") && log.contains("malformed options.priority"));
        org.osgijobs.testing.Poll.until("nothing left unacknowledged", Duration.ofSeconds(10),
                Duration.ofMillis(50), () -> nats.jsm.getConsumerInfo((String) o.get("stream"),
                        PipelineOptions.consumerName("orders")).getNumAckPending() == 0, () -> "");
    }
}
