package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/** RoadRunner's pipeline options in their flattened form, their defaults and the errors they give. */
public class PipelineOptionsTest {

    private static PipelineOptions of(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "p");
        m.put("driver", "kafka");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return PipelineOptions.of(Pipeline.of(m));
    }

    private static void bad(String option, String... kv) {
        try {
            of(kv);
            fail("accepted " + List.of(kv));
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("'" + option + "'"));
        }
    }

    @Test
    public void defaults() {
        PipelineOptions o = of();
        assertEquals(10, o.priority);
        assertEquals(100, o.prefetch);
        assertEquals(List.of("p"), o.topics);
        assertEquals("p", o.pushTopic);
        assertEquals("p.delay", o.delayTopic);
        assertFalse(o.grouped());
        assertEquals("osgijobs.p.delay", o.delayGroup());
        assertEquals(OffsetSpec.Type.AT_START, o.consumerOffset.type());
        assertEquals("all", o.producer.get("acks"));
        assertEquals(true, o.producer.get("enable.idempotence"));
        assertEquals("none", o.producer.get("compression.type"));
        assertFalse(o.autoCreateTopics);
    }

    @Test
    public void flattenedRoadRunnerOptions() {
        PipelineOptions o = of("consumer_options.topics", "a, b", "group_options.group_id", "g",
                "group_options.instance_id", "i-1", "producer_options.required_acks", "LeaderAck",
                "producer_options.compression_codec", "gzip", "producer_options.max_message_bytes", "2000000",
                "consumer_options.consumer_offset.type", "AfterMilli",
                "consumer_options.consumer_offset.value", "1700000000000",
                "consumer_options.max_fetch_message_size", "50000", "auto_create_topics_enable", "true",
                "producer_options.request_timeout", "2s", "timeout", "30",
                "consumer_properties.session.timeout.ms", "6000");
        assertEquals(List.of("a", "b"), o.topics);
        assertEquals("a", o.pushTopic);
        assertEquals("a.delay", o.delayTopic);
        assertEquals("g.delay", o.delayGroup());
        assertEquals("i-1", o.instanceId);
        assertEquals("1", o.producer.get("acks"));
        assertEquals(false, o.producer.get("enable.idempotence"));
        assertEquals("gzip", o.producer.get("compression.type"));
        assertEquals(2000000, o.producer.get("max.request.size"));
        assertEquals(2000, o.producer.get("request.timeout.ms"));
        assertEquals(30000, o.producer.get("delivery.timeout.ms"));
        assertEquals(new OffsetSpec(OffsetSpec.Type.AFTER_MILLI, 1700000000000L), o.consumerOffset);
        assertEquals(50000, o.consumer.get("fetch.max.bytes"));
        assertEquals("6000", o.consumer.get("session.timeout.ms"));
        assertTrue(o.autoCreateTopics);
    }

    @Test
    public void consumePartitionsWithoutAGroup() {
        PipelineOptions o = of("consumer_options.topics", "a",
                "consumer_options.consume_partitions.a.0.type", "At",
                "consumer_options.consume_partitions.a.0.value", "42",
                "consumer_options.consume_partitions.a.3.type", "AtEnd");
        assertEquals(Map.of(0, new OffsetSpec(OffsetSpec.Type.AT, 42), 3, new OffsetSpec(OffsetSpec.Type.AT_END, 0)),
                o.consumePartitions.get("a"));
    }

    @Test
    public void regexpTopicsNeedAGroupAndNeverMatchTheDelayTopic() {
        PipelineOptions o = of("consumer_options.topics", "orders-.*", "consumer_options.consume_regexp", "true",
                "group_options.group_id", "g");
        assertTrue(o.topicPattern.matcher("orders-eu").matches());
        assertFalse(o.topicPattern.matcher("p.delay").matches());
        bad("consumer_options.consume_regexp", "consumer_options.topics", "x.*", "consumer_options.consume_regexp",
                "true");
    }

    @Test
    public void badValuesNameTheirOption() {
        bad("prefetch", "prefetch", "0");
        bad("timeout", "timeout", "0");
        bad("producer_options.required_acks", "producer_options.required_acks", "Most");
        bad("producer_options.compression_codec", "producer_options.compression_codec", "brotli");
        bad("producer_options.delivery_timeout", "producer_options.delivery_timeout", "soon");
        bad("consumer_options.consumer_offset.type", "consumer_options.consumer_offset.type", "Sideways");
        bad("group_options.instance_id", "group_options.instance_id", "i");
        bad("consumer_properties.enable.auto.commit", "consumer_properties.enable.auto.commit", "true");
        bad("producer_properties.sasl.jaas.config", "producer_properties.sasl.jaas.config", "x");
        bad("delay_topic", "consumer_options.topics", "a,b", "delay_topic", "b");
        bad("consumer_options.consume_partitions.a.x.type", "consumer_options.consume_partitions.a.x.type", "At");
        bad("consumer_options.consume_partitions.*", "group_options.group_id", "g",
                "consumer_options.consume_partitions.a.0.type", "At");
        bad("auto_create_topics_enable", "auto_create_topics_enable", "yes");
    }
}
