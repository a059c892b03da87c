package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.osgijobs.testing.SharedTestQueue;

/**
 * RoadRunner's wire format both ways, checked with a plain client: what a PHP RoadRunner service publishes is read
 * intact, what this driver publishes has RoadRunner's header names and AMQP field types, and foreign or malformed
 * messages are still processed.
 */
public class AmqpWireCompatibilityTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private AmqpDriver consuming(SharedTestQueue queue, String q) {
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "priority", "8"));
        d.run(Pipeline.of(AmqpFixture.options("p")));
        return d;
    }

    @Test
    public void aMessageWithRoadRunnersHeadersIsReadIntact() throws Exception {
        String q = amqp.queue("from-rr");
        SharedTestQueue queue = new SharedTestQueue("p");
        consuming(queue, q);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("rr_id", "0b6e8c4a-rr");
        headers.put("rr_job", "App\\Jobs\\SendMail");
        headers.put("rr_pipeline", "php-side");
        headers.put("rr_headers", "{\"tenant\":[\"acme\"],\"trace\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8));
        headers.put("rr_delay", 0);
        headers.put("rr_priority", 3L);
        headers.put("rr_auto_ack", false);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/octet-stream")
                .deliveryMode(2).headers(headers).build();
        Channel ch = amqp.raw.createChannel();
        ch.basicPublish("", q, props, "{\"to\":\"x@example.com\"}".getBytes(StandardCharsets.UTF_8));

        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("0b6e8c4a-rr", job.id());
        assertEquals("App\\Jobs\\SendMail", job.name());
        assertEquals("{\"to\":\"x@example.com\"}", new String(job.body(), StandardCharsets.UTF_8));
        assertEquals(Map.of("tenant", List.of("acme"), "trace", List.of("a", "b")), job.headers());
        assertEquals(3, job.priority());
        assertEquals("p", job.groupId());
        assertEquals(false, job.autoAck());
        job.settle(Settlement.ack());
    }

    @Test
    public void whatTheDriverPublishesHasRoadRunnersNamesAndFieldTypes() throws Exception {
        String q = amqp.queue("to-rr");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q));
        d.push(Message.builder("App\\Jobs\\Report").id("id-42").pipeline("p").payload("data").priority(4)
                .header("k", "v1", "v2").autoAck(true).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        GetResponse r = amqp.raw.createChannel().basicGet(q, true);
        Map<String, Object> h = r.getProps().getHeaders();
        // the plain client reads field type S as LongString, x as byte[], I as Integer, l as Long, t as Boolean
        assertTrue(h.get("rr_id") instanceof LongString);
        assertTrue(h.get("rr_job") instanceof LongString);
        assertTrue(h.get("rr_pipeline") instanceof LongString);
        assertTrue(h.get("rr_headers") instanceof byte[]);
        assertTrue(h.get("rr_delay") instanceof Integer);
        assertTrue(h.get("rr_priority") instanceof Long);
        assertTrue(h.get("rr_auto_ack") instanceof Boolean);
        assertEquals("id-42", h.get("rr_id").toString());
        assertEquals("App\\Jobs\\Report", h.get("rr_job").toString());
        assertEquals("p", h.get("rr_pipeline").toString());
        assertEquals("{\"k\":[\"v1\",\"v2\"]}", new String((byte[]) h.get("rr_headers"), StandardCharsets.UTF_8));
        assertEquals(0, h.get("rr_delay"));
        assertEquals(4L, h.get("rr_priority"));
        assertEquals(true, h.get("rr_auto_ack"));
        assertEquals(7, h.size());
        assertEquals("application/octet-stream", r.getProps().getContentType());
        assertEquals(Integer.valueOf(2), r.getProps().getDeliveryMode());
        assertEquals("data", new String(r.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    public void foreignAndMalformedMessagesAreProcessedWithDefaults() throws Exception {
        String q = amqp.queue("foreign");
        SharedTestQueue queue = new SharedTestQueue("p");
        consuming(queue, q);
        Channel ch = amqp.raw.createChannel();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().build(), "plain".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("rr_id", 12345);
        bad.put("rr_job", "Broken");
        bad.put("rr_headers", "{not json".getBytes(StandardCharsets.UTF_8));
        bad.put("rr_priority", "high");
        bad.put("rr_delay", 1.5);
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(bad).build(),
                "broken".getBytes(StandardCharsets.UTF_8));

        Job foreign = queue.poll(30, TimeUnit.SECONDS);
        Job malformed = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(foreign);
        assertNotNull(malformed);
        assertEquals("deduced_by_rr", foreign.name());
        assertEquals(8, foreign.priority());
        assertEquals(36, foreign.id().length());
        assertEquals("plain", new String(foreign.body(), StandardCharsets.UTF_8));
        assertEquals("Broken", malformed.name());
        assertEquals(8, malformed.priority());
        assertEquals(Map.of(), malformed.headers());
        assertEquals("broken", new String(malformed.body(), StandardCharsets.UTF_8));
        foreign.settle(Settlement.ack());
        malformed.settle(Settlement.ack());
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertTrue(log.contains("WARN org.osgijobs.driver.amqp.internal.DeliveryReader - pipeline 'p': message "
                + malformed.id()));
        assertTrue(log.contains("malformed rr_headers"));
    }

    @Test
    public void rrHeadersNestedTooDeepAreMalformedAndTheJobStillRuns() throws Exception {
        String q = amqp.queue("deep");
        SharedTestQueue queue = new SharedTestQueue("p");
        consuming(queue, q);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("rr_id", "deep-1");
        headers.put("rr_job", "Deep");
        headers.put("rr_priority", 2L);
        headers.put("rr_headers", AmqpPoisonMessageTest.deepRrHeaders());
        amqp.raw.createChannel().basicPublish("", q, new AMQP.BasicProperties.Builder().headers(headers).build(),
                "deep".getBytes(StandardCharsets.UTF_8));

        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("deep-1", job.id());
        assertEquals("Deep", job.name());
        assertEquals(2, job.priority());
        assertEquals(Map.of(), job.headers());
        job.settle(Settlement.ack());
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertTrue(log.contains("pipeline 'p': message deep-1 (exchange '', routing key '" + q + "') is not a"
                + " well-formed job: malformed rr_headers (nested deeper than 64 levels at position 64);"));
    }
}
