package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/**
 * Jobs exchanged with PHP RoadRunner services on one broker: a message published by a plain client with exactly
 * RoadRunner's headers and types runs intact, what this runtime publishes carries them, and foreign or malformed
 * messages still run, with defaults.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpWireIT extends AmqpItestSupport {

    @Test
    public void aRoadRunnerMessageRunsWithItsIdNamePayloadHeadersAndPriority() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "App\\Jobs\\Invoice");
        String q = queueName("from-php");
        declare(amqpPipeline("amqp-from-php", "queue", q, "routing_key", q));
        jobs().resume("amqp-from-php");
        awaitState("amqp-from-php", "consuming", State::ready);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("rr_id", "php-job-1");
        headers.put("rr_job", "App\\Jobs\\Invoice");
        headers.put("rr_pipeline", "php-pipeline");
        headers.put("rr_headers", "{\"tenant\":[\"acme\"],\"x-jobs-attempt\":[\"2\"]}"
                .getBytes(StandardCharsets.UTF_8));
        headers.put("rr_delay", 0);
        headers.put("rr_priority", 7L);
        headers.put("rr_auto_ack", false);
        RawBroker.publish(q, headers, "{\"invoice\":42}");
        await("ran", () -> handler.runsOf("php-job-1") == 1);
        RecordingHandler.Run run = handler.runs().get(0);
        assertEquals("App\\Jobs\\Invoice", run.name());
        assertEquals("{\"invoice\":42}", run.payload());
        assertEquals("acme", run.header("tenant"));
        assertEquals(2, run.attempt());
        assertEquals(7, run.priority());
        assertEquals("amqp-from-php", run.pipeline());
    }

    @Test
    public void whatThisRuntimePublishesCarriesRoadRunnersHeadersAndTypes() throws Exception {
        String q = queueName("to-php");
        declare(amqpPipeline("amqp-to-php", "queue", q, "routing_key", q, "priority", "6"));
        Message m = Message.builder("App\\Jobs\\Report").pipeline("amqp-to-php").payload("report")
                .header("k", "v").build();
        jobs().push(m);
        Map<String, String> h = RawBroker.takeHeaders(q);
        assertEquals("LongString:" + m.id(), h.get("rr_id"));
        assertEquals("LongString:App\\Jobs\\Report", h.get("rr_job"));
        assertEquals("LongString:amqp-to-php", h.get("rr_pipeline"));
        assertEquals("byte[]:{\"k\":[\"v\"]}", h.get("rr_headers"));
        assertEquals("Integer:0", h.get("rr_delay"));
        assertEquals("Long:6", h.get("rr_priority"));
        assertEquals("Boolean:false", h.get("rr_auto_ack"));
        assertEquals("application/octet-stream", h.get("content_type"));
        assertEquals("2", h.get("delivery_mode"));
        assertEquals("report", h.get("body"));
    }

    @Test
    public void messagesWithoutOrWithMalformedRoadRunnerHeadersRunWithDefaults() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "*");
        String q = queueName("foreign");
        declare(amqpPipeline("amqp-foreign", "queue", q, "routing_key", q, "priority", "9"));
        jobs().resume("amqp-foreign");
        awaitState("amqp-foreign", "consuming", State::ready);
        RawBroker.publish(q, Map.of("tenant", "other-system"), "no rr headers");
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("rr_id", 17);
        bad.put("rr_job", "Malformed");
        bad.put("rr_headers", "[not an object]".getBytes(StandardCharsets.UTF_8));
        bad.put("rr_priority", "urgent");
        RawBroker.publish(q, bad, "malformed rr headers");
        await("both ran", () -> handler.count() == 2);
        List<RecordingHandler.Run> runs = handler.runs();
        RecordingHandler.Run foreign = runs.stream().filter(r -> r.payload().equals("no rr headers")).findFirst()
                .orElseThrow();
        RecordingHandler.Run malformed = runs.stream().filter(r -> r.payload().equals("malformed rr headers"))
                .findFirst().orElseThrow();
        assertEquals("deduced_by_rr", foreign.name());
        assertEquals(9, foreign.priority());
        assertEquals("other-system", foreign.header("tenant"));
        assertEquals(36, foreign.id().length());
        assertEquals("Malformed", malformed.name());
        assertEquals(9, malformed.priority());
        assertTrue(malformed.headers().isEmpty());
        awaitState("amqp-foreign", "both acknowledged", s -> s.reserved() == 0 && s.active() == 0);
    }
}
