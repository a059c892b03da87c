package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/**
 * RoadRunner's record format both ways. The golden records are built here from its description (SPEC section 10):
 * key = job id, value = payload, headers = user headers (first value), {@code rr_job}, {@code rr_pipeline} (UTF-8),
 * {@code rr_priority} (8 bytes little-endian), written with the raw producer as RoadRunner would; the records this
 * driver writes are read raw and compared byte for byte with the same description.
 */
public class KafkaWireCompatibilityTest {

    @Rule
    public final KafkaFixture kafka = new KafkaFixture();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    @Test
    public void goldenRecordsAsRoadRunnerWritesThemAreConsumed() throws Exception {
        String topic = kafka.topic("w", 1);
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader("Traceparent", utf8("00-abc-def-01")));
        headers.add(new RecordHeader("tenant", utf8("acme")));
        headers.add(new RecordHeader("rr_job", utf8("App\\Jobs\\SendMail")));
        headers.add(new RecordHeader("rr_pipeline", utf8("mail")));
        headers.add(new RecordHeader("rr_priority", le(7)));
        kafka.raw.send(new ProducerRecord<>(topic, 0, utf8("0b0e5c3c-1f2d-4c55-9a1a-2d0c6a0e9f11"),
                utf8("{\"to\":\"a@b.c\"}"), headers)).get(10, TimeUnit.SECONDS);
        // a foreign record: no rr_* headers, no key
        kafka.raw.send(new ProducerRecord<>(topic, 0, null, utf8("plain"))).get(10, TimeUnit.SECONDS);
        // malformed rr_priority (4 bytes) and priority 0 (means the pipeline's)
        kafka.raw.send(new ProducerRecord<>(topic, 0, utf8("bad-priority"), utf8("x"), List.of(
                new RecordHeader("rr_job", utf8("j")), new RecordHeader("rr_priority", new byte[] {1, 0, 0, 0}))))
                .get(10, TimeUnit.SECONDS);
        kafka.raw.send(new ProducerRecord<>(topic, 0, utf8("zero"), utf8("y"), List.of(
                new RecordHeader("rr_job", utf8("j")), new RecordHeader("rr_priority", le(0)))))
                .get(10, TimeUnit.SECONDS);
        // prefetch 1: one job at a time, in offset order (else the runtime's queue orders them by priority)
        Map<String, Object> o = kafka.options("mail", topic, "priority", "4", "prefetch", "1");
        TestQueue queue = new TestQueue("mail", 100);
        KafkaDriver d = kafka.driver(queue, o);
        d.run(Pipeline.of(o));
        Job golden = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(golden);
        assertEquals("0b0e5c3c-1f2d-4c55-9a1a-2d0c6a0e9f11", golden.id());
        assertEquals("App\\Jobs\\SendMail", golden.name());
        assertEquals(7, golden.priority());
        assertEquals("{\"to\":\"a@b.c\"}", new String(golden.body(), StandardCharsets.UTF_8));
        assertEquals(List.of("00-abc-def-01"), golden.headers().get("Traceparent"));
        assertEquals(List.of("acme"), golden.headers().get("tenant"));
        assertTrue("rr_* headers are not job headers", golden.headers().keySet().stream()
                .noneMatch(k -> k.startsWith("rr_")));
        assertEquals(List.of("0"), golden.headers().get("kafka_partition"));
        golden.settle(Settlement.ack());
        Job foreign = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(foreign);
        assertEquals("deduced_by_rr", foreign.name());
        assertEquals("the pipeline's priority", 4, foreign.priority());
        assertEquals(36, foreign.id().length());
        assertEquals("plain", new String(foreign.body(), StandardCharsets.UTF_8));
        foreign.settle(Settlement.ack());
        Job bad = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(bad);
        assertEquals("bad-priority", bad.id());
        assertEquals("a malformed rr_priority falls back to the pipeline's", 4, bad.priority());
        bad.settle(Settlement.ack());
        Job zero = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(zero);
        assertEquals("priority 0 is the pipeline's", 4, zero.priority());
        zero.settle(Settlement.ack());
    }

    @Test
    public void recordsWrittenHereAreInRoadRunnersFormatByteForByte() throws Exception {
        String topic = kafka.topic("w", 1);
        Map<String, Object> o = kafka.options("mail", topic);
        KafkaDriver d = kafka.driver(new TestQueue("mail", 10), o);
        byte[] payload = {0, 1, 2, (byte) 0xff, 'h', 'i'};
        d.push(Message.builder("App\\Jobs\\SendMail").id("id-1").pipeline("mail").payload(payload)
                .header("tenant", "acme", "second value is not written").header("Traceparent", "00-x-y-01")
                .priority(3).build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.push(Message.builder("plain").id("id-2").pipeline("mail").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.read(topic, 2);
        assertEquals(2, records.size());
        ConsumerRecord<byte[], byte[]> r = records.get(0);
        assertArrayEquals(utf8("id-1"), r.key());
        assertArrayEquals(payload, r.value());
        List<String> keys = new ArrayList<>();
        r.headers().forEach(h -> keys.add(h.key()));
        assertEquals(List.of("tenant", "Traceparent", "rr_job", "rr_pipeline", "rr_priority"), keys);
        assertArrayEquals(utf8("acme"), r.headers().lastHeader("tenant").value());
        assertArrayEquals(utf8("00-x-y-01"), r.headers().lastHeader("Traceparent").value());
        assertArrayEquals(utf8("App\\Jobs\\SendMail"), r.headers().lastHeader("rr_job").value());
        assertArrayEquals(utf8("mail"), r.headers().lastHeader("rr_pipeline").value());
        assertArrayEquals(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}, r.headers().lastHeader("rr_priority").value());
        ConsumerRecord<byte[], byte[]> plain = records.get(1);
        assertEquals(0, plain.value().length);
        assertArrayEquals("the pipeline's priority (10) is written", le(10),
                plain.headers().lastHeader("rr_priority").value());
        assertEquals(null, plain.headers().lastHeader("rr_id"));
    }
}
