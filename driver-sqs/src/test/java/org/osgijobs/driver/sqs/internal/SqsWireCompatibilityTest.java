package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * RoadRunner's SQS messages, both ways, against the real server: golden messages sent with the bare SDK client the way
 * RoadRunner writes them (body = payload; rr_id, rr_job, rr_delay String; rr_headers Binary JSON; rr_priority Number;
 * rr_auto_ack String) are consumed as jobs; what this driver sends carries exactly those attribute names and data
 * types; foreign and malformed messages run with defaults and are never stuck.
 */
public class SqsWireCompatibilityTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    /** A message as RoadRunner's SQS driver sends it. */
    private static Map<String, MessageAttributeValue> roadRunner(String id, String job, int delay, String headersJson,
            long priority, boolean autoAck) {
        return Map.of("rr_id", string(id), "rr_job", string(job), "rr_delay", string(Integer.toString(delay)),
                "rr_headers", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromUtf8String(headersJson)).build(),
                "rr_priority", MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(priority))
                        .build(),
                "rr_auto_ack", string(Boolean.toString(autoAck)));
    }

    @Test
    public void aRoadRunnerMessageIsConsumedAsItsJob() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        String url = sqs.url((String) o.get("queue"));
        sqs.raw.sendMessage(b -> b.queueUrl(url).messageBody("{\"order\":42}").messageAttributes(roadRunner(
                "rr-7f3a", "App\\Jobs\\SendMail", 0, "{\"Traceparent\":[\"00-abc-def-01\"],\"x\":[\"1\",\"2\"]}", 4,
                false)));
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("rr-7f3a", job.id());
        assertEquals("App\\Jobs\\SendMail", job.name());
        assertEquals("{\"order\":42}", new String(job.body(), StandardCharsets.UTF_8));
        assertEquals(List.of("00-abc-def-01"), job.headers().get("Traceparent"));
        assertEquals(List.of("1", "2"), job.headers().get("x"));
        assertEquals(4, job.priority());
        assertFalse(job.autoAck());
        assertNotNull("system attributes become headers", job.headers().get("SentTimestamp"));
        job.settle(Settlement.ack());
    }

    @Test
    public void whatThisDriverSendsHasExactlyRoadRunnersAttributes() throws Exception {
        Map<String, Object> o = sqs.options("p", "priority", "7");
        SqsDriver d = sqs.driver(new SharedTestQueue("p"), o);
        String url = sqs.url((String) o.get("queue"));
        d.push(Message.builder("App\\Jobs\\Report").id("ours-1").payload("body text").header("k", "v1", "v2")
                .delay(1).autoAck(true).pipeline("p").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ReceiveMessageResponse r = sqs.raw.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)
                .messageAttributeNames("All"));
        assertEquals(1, r.messages().size());
        software.amazon.awssdk.services.sqs.model.Message m = r.messages().get(0);
        assertEquals("body text", m.body());
        Map<String, String> types = new TreeMap<>();
        m.messageAttributes().forEach((k, v) -> types.put(k, v.dataType()));
        assertEquals(new TreeMap<>(Map.of("rr_id", "String", "rr_job", "String", "rr_delay", "String",
                "rr_headers", "Binary", "rr_priority", "Number", "rr_auto_ack", "String")), types);
        Map<String, MessageAttributeValue> a = m.messageAttributes();
        assertEquals("ours-1", a.get("rr_id").stringValue());
        assertEquals("App\\Jobs\\Report", a.get("rr_job").stringValue());
        assertEquals("1", a.get("rr_delay").stringValue());
        assertEquals("7", a.get("rr_priority").stringValue());
        assertEquals("true", a.get("rr_auto_ack").stringValue());
        assertEquals(Map.of("k", List.of("v1", "v2")), HeadersJson.read(a.get("rr_headers").binaryValue()
                .asUtf8String()));
        assertNull("no rr_pipeline: the consuming pipeline is the job's", a.get("rr_pipeline"));
    }

    @Test
    public void aForeignMessageRunsWithDefaultsAndItsAttributesAsHeaders() throws Exception {
        Map<String, Object> o = sqs.options("p", "priority", "9");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        String url = sqs.url((String) o.get("queue"));
        sqs.raw.sendMessage(b -> b.queueUrl(url).messageBody("plain").messageAttributes(Map.of("source",
                string("billing"))));
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals(WireFormat.DEDUCED, job.name());
        assertFalse(job.id().isEmpty());
        assertEquals(9, job.priority());
        assertEquals(List.of("billing"), job.headers().get("source"));
        assertEquals("plain", new String(job.body(), StandardCharsets.UTF_8));
        job.settle(Settlement.ack());
    }

    @Test
    public void malformedAttributesFallBackToDefaults() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        String url = sqs.url((String) o.get("queue"));
        sqs.raw.sendMessage(b -> b.queueUrl(url).messageBody("m").messageAttributes(Map.of("rr_id", string("bad-1"),
                "rr_job", string("j"), "rr_priority", string("high"), "rr_headers", string("{not json"),
                "rr_auto_ack", string("maybe"))));
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("bad-1", job.id());
        assertEquals(10, job.priority());
        assertFalse(job.autoAck());
        assertNull(job.headers().get("rr_headers"));
        job.settle(Settlement.ack());
        assertNull("settled, not stuck", queue.poll(1500, TimeUnit.MILLISECONDS));
    }

    @Test
    public void aRequeuedRoadRunnerJobKeepsItsIdentity() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        String url = sqs.url((String) o.get("queue"));
        sqs.raw.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(roadRunner("rr-9", "J", 0,
                "{}", 0, false)));
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        job.settle(Settlement.requeue(Map.of("attempts", List.of("1")), 0));
        Job again = queue.poll(10, TimeUnit.SECONDS);
        assertEquals("rr-9", again.id());
        assertEquals("J", again.name());
        assertEquals("a new message", List.of("1"), again.headers().get("ApproximateReceiveCount"));
        assertTrue(again.headers().containsKey("attempts"));
        again.settle(Settlement.ack());
    }
}
