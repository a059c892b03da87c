package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.Test;
import org.osgijobs.api.Message;

/** RoadRunner's record headers, without a broker. */
public class WireFormatTest {

    @Test
    public void priorityIsEightBytesLittleEndian() {
        assertArrayEquals(new byte[] {10, 0, 0, 0, 0, 0, 0, 0}, WireFormat.priorityBytes(10));
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}, WireFormat.priorityBytes(256));
    }

    @Test
    public void reservedAndDriverHeadersAreNotWrittenAndOnlyTheFirstValueIs() {
        Message m = Message.builder("n").id("i").header("a", "1", "2").header("rr_id", "x")
                .header("kafka_topic", "t").header("rr_delay", "5").build();
        List<Header> h = WireFormat.headers(m, "p", 2, m.headers());
        List<String> keys = new ArrayList<>();
        h.forEach(x -> keys.add(x.key()));
        assertEquals(List.of("a", "rr_job", "rr_pipeline", "rr_priority"), keys);
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), h.get(0).value());
    }

    @Test
    public void aRecordWithoutHeadersIsDeducedWithTheDefaults() {
        WireFormat.Decoded d = WireFormat.decode(null, List.of(), 10, "t", 2, 7);
        assertEquals("deduced_by_rr", d.name());
        assertEquals(10, d.priority());
        assertEquals(36, d.id().length());
        assertEquals(List.of("t"), d.headers().get("kafka_topic"));
        assertEquals(List.of("2"), d.headers().get("kafka_partition"));
        assertEquals(List.of("7"), d.headers().get("kafka_offset"));
    }

    @Test
    public void aPriorityAboveTheSignedRangeFallsBackToThePipelines() {
        byte[] huge = {-1, -1, -1, -1, -1, -1, -1, -1};
        WireFormat.Decoded d = WireFormat.decode("k".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("rr_priority", huge), new RecordHeader("rr_job", "j".getBytes(
                        StandardCharsets.UTF_8))), 6, "t", 0, 0);
        assertEquals(6, d.priority());
        assertEquals("j", d.name());
        assertEquals("k", d.id());
    }

    @Test
    public void repeatedRecordHeadersBecomeOneMultiValuedJobHeader() {
        WireFormat.Decoded d = WireFormat.decode(null, List.of(new RecordHeader("x", "1".getBytes(
                StandardCharsets.UTF_8)), new RecordHeader("x", "2".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("osgijobs_due", "1".getBytes(StandardCharsets.UTF_8))), 10, "t", 0, 0);
        assertEquals(List.of("1", "2"), d.headers().get("x"));
        assertEquals(null, d.headers().get("osgijobs_due"));
    }
}
