package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

public class PipelineOptionsTest {

    private static Pipeline pipeline(String... kv) {
        Map<String, Object> options = new HashMap<>();
        options.put("name", "p1");
        options.put("driver", "amqp");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return Pipeline.of(options);
    }

    private static String error(String... kv) {
        return assertThrows(JobsException.class, () -> PipelineOptions.of(pipeline(kv))).getMessage();
    }

    @Test
    public void roadRunnersDefaults() {
        PipelineOptions o = PipelineOptions.of(pipeline());
        assertEquals(10, o.prefetch);
        assertEquals(10, o.priority);
        assertEquals(60, o.redialTimeoutSeconds);
        assertEquals("", o.queue);
        assertFalse(o.hasQueue());
        assertEquals("amqp.default", o.exchange);
        assertEquals(ExchangeType.DIRECT, o.exchangeType);
        assertEquals("", o.routingKey);
        assertFalse(o.exclusive || o.durable || o.exchangeDurable || o.exchangeAutoDelete || o.queueAutoDelete
                || o.deleteQueueOnStop || o.multipleAck || o.requeueOnFail);
        assertTrue(o.consumerId, o.consumerId.startsWith("osgijobs-"));
        assertEquals(Map.of(), o.queueArguments);
        assertEquals(60, o.timeoutSeconds);
        assertEquals(1000, o.publishWindow);
    }

    @Test
    public void stringValuesAsDeclareGivesThem() {
        PipelineOptions o = PipelineOptions.of(pipeline("prefetch", "100", "priority", "3", "redial_timeout", "5",
                "queue", "q", "exchange", "ex", "exchange_type", "TOPIC", "routing_key", "a.b", "exclusive", "true",
                "durable", "true", "exchange_durable", "true", "exchange_auto_delete", "true", "queue_auto_delete",
                "true", "delete_queue_on_stop", "true", "multiple_ack", "true", "requeue_on_fail", "true",
                "consumer_id", "me", "timeout", "7", "publish_window", "64"));
        assertEquals(100, o.prefetch);
        assertEquals(3, o.priority);
        assertEquals(5, o.redialTimeoutSeconds);
        assertEquals("q", o.queue);
        assertEquals("ex", o.exchange);
        assertEquals(ExchangeType.TOPIC, o.exchangeType);
        assertEquals("a.b", o.routingKey);
        assertTrue(o.exclusive && o.durable && o.exchangeDurable && o.exchangeAutoDelete && o.queueAutoDelete
                && o.deleteQueueOnStop && o.multipleAck && o.requeueOnFail);
        assertEquals("me", o.consumerId);
        assertEquals(7, o.timeoutSeconds);
        assertEquals(64, o.publishWindow);
    }

    @Test
    public void zeroMeansTheDefaultAsInRoadRunner() {
        PipelineOptions o = PipelineOptions.of(pipeline("prefetch", "0", "redial_timeout", "0"));
        assertEquals(10, o.prefetch);
        assertEquals(60, o.redialTimeoutSeconds);
    }

    @Test
    public void queueHeadersAsJsonWithTheTypesTheBrokerWants() {
        PipelineOptions o = PipelineOptions.of(pipeline("queue", "q", "queue_headers",
                "{\"x-max-priority\":\"10\",\"x-message-ttl\":60000.0,\"x-queue-mode\":\"lazy\","
                        + "\"x-single-active-consumer\":\"true\",\"custom\":1.5}"));
        assertEquals(Map.of("x-max-priority", 10L, "x-message-ttl", 60000L, "x-queue-mode", "lazy",
                "x-single-active-consumer", true, "custom", 1.5), o.queueArguments);
    }

    @Test
    public void queueHeadersAsFlatKeys() {
        PipelineOptions o = PipelineOptions.of(pipeline("queue", "q", "queue_headers.x-max-priority", "5",
                "queue_headers.x-dead-letter-exchange", "dlx"));
        assertEquals(Map.of("x-max-priority", 5L, "x-dead-letter-exchange", "dlx"), o.queueArguments);
    }

    @Test
    public void malformedQueueHeadersAreNamed() {
        assertTrue(error("queue", "q", "queue_headers", "{\"x-max-priority\":").contains(
                "pipeline 'p1': option 'queue_headers' must be a JSON object"));
        assertTrue(error("queue", "q", "queue_headers", "[1]").contains("option 'queue_headers' must be a JSON"));
        assertTrue(error("queue", "q", "queue_headers", "{\"x-max-priority\":\"ten\"}").contains(
                "option 'queue_headers.x-max-priority' must be an integer, got 'ten'"));
        assertTrue(error("queue", "q", "queue_headers", "{\"a\":{\"b\":1}}").contains(
                "option 'queue_headers.a' must be a string, a number or a boolean"));
    }

    @Test
    public void badValuesAreNamed() {
        assertEquals("pipeline 'p1': option 'exchange_type' must be one of direct, fanout, topic, headers, got"
                + " 'x-delayed-message'", error("exchange_type", "x-delayed-message"));
        assertEquals("pipeline 'p1': option 'exchange_type' must be one of direct, fanout, topic, headers, got"
                + " ''", error("exchange_type", ""));
        assertEquals("pipeline 'p1': option 'exchange_type' must be one of direct, fanout, topic, headers, got"
                + " ' '", error("exchange_type", " "));
        assertEquals("pipeline 'p1': option 'prefetch' must be an integer from -2147483648 to 2147483647, got 'many'", error("prefetch", "many"));
        assertEquals("pipeline 'p1': option 'prefetch' must be a number from 1 to 65535, got '70000'",
                error("prefetch", "70000"));
        assertEquals("pipeline 'p1': option 'durable' must be true or false, got 'yes'", error("durable", "yes"));
        assertTrue(error("exchange", "amq.topic").contains("option 'exchange' must be a name that does not start"
                + " with 'amq.'"));
        assertTrue(error("timeout", "0").contains("option 'timeout'"));
        assertTrue(error("publish_window", "0").contains("option 'publish_window'"));
        assertEquals("pipeline 'p1': option 'wire' must be full or compact, got 'small'", error("wire", "small"));
        assertTrue(error("redial_timeout", "-1").contains("option 'redial_timeout'"));
        assertTrue(error("queue", "q".repeat(256)).contains("option 'queue' must be at most 255 bytes long"));
    }

    @Test
    public void fanoutNeedsAQueue() {
        assertTrue(error("exchange_type", "fanout").startsWith(
                "pipeline 'p1': exchange_type 'fanout' needs option 'queue'"));
        assertEquals(ExchangeType.FANOUT, PipelineOptions.of(pipeline("exchange_type", "fanout", "queue", "q"))
                .exchangeType);
    }
}
