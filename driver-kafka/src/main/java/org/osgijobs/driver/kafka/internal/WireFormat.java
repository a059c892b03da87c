package org.osgijobs.driver.kafka.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.osgijobs.api.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RoadRunner's Kafka record format, both ways: key = the job id (UTF-8), value = the payload bytes, record headers =
 * the job's headers (first value of each), then {@code rr_job} and {@code rr_pipeline} (UTF-8) and
 * {@code rr_priority} (8 bytes, little-endian). The id, the delay and auto-ack are not part of the record.
 * <p>
 * Headers of this driver's own: {@code kafka_topic} and {@code kafka_partition} on a pushed job choose where it goes
 * (they are not written to the record); a consumed job carries {@code kafka_topic}, {@code kafka_partition} and
 * {@code kafka_offset} so that its handler sees where it came from. Records on the delay topic carry
 * {@code osgijobs_due} (epoch milliseconds), {@code osgijobs_topic} and, when fixed, {@code osgijobs_partition}.
 */
final class WireFormat {
    private static final Logger LOG = LoggerFactory.getLogger(WireFormat.class);

    static final String JOB = "rr_job";
    static final String PIPELINE = "rr_pipeline";
    static final String PRIORITY = "rr_priority";
    static final String DEDUCED = "deduced_by_rr";

    static final String TOPIC = "kafka_topic";
    static final String PARTITION = "kafka_partition";
    static final String OFFSET = "kafka_offset";

    static final String DUE = "osgijobs_due";
    static final String TARGET_TOPIC = "osgijobs_topic";
    static final String TARGET_PARTITION = "osgijobs_partition";

    /** Job headers that never become record headers: RoadRunner's reserved keys and the driver's own. */
    private static final Set<String> NOT_WRITTEN = Set.of("rr_id", JOB, PIPELINE, "rr_headers", "rr_delay",
            PRIORITY, "rr_auto_ack", TOPIC, PARTITION, OFFSET, DUE, TARGET_TOPIC, TARGET_PARTITION);
    /** Record headers that never become job headers. */
    private static final Set<String> NOT_READ = Set.of(JOB, PIPELINE, PRIORITY, DUE, TARGET_TOPIC, TARGET_PARTITION);

    private WireFormat() {
    }

    /**
     * @param message  the job
     * @param pipeline the pipeline written into {@code rr_pipeline}
     * @param priority the effective priority (never 0)
     * @param headers  the job's headers to write
     * @return the record's headers in RoadRunner's format
     */
    static List<Header> headers(Message message, String pipeline, long priority, Map<String, List<String>> headers) {
        List<Header> out = new ArrayList<>(headers.size() + 3);
        headers.forEach((k, v) -> {
            if (!NOT_WRITTEN.contains(k) && v != null && !v.isEmpty() && v.get(0) != null) {
                out.add(new RecordHeader(k, v.get(0).getBytes(StandardCharsets.UTF_8)));
            }
        });
        out.add(new RecordHeader(JOB, message.name().getBytes(StandardCharsets.UTF_8)));
        out.add(new RecordHeader(PIPELINE, pipeline.getBytes(StandardCharsets.UTF_8)));
        out.add(new RecordHeader(PRIORITY, priorityBytes(priority)));
        return out;
    }

    /** @return the job id as the record key */
    static byte[] key(Message message) {
        return message.id().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] priorityBytes(long priority) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(priority).array();
    }

    /** A consumed record read as a job. */
    record Decoded(String id, String name, long priority, Map<String, List<String>> headers) {
    }

    /**
     * Reads a record; what is missing or malformed falls back to the defaults with one warning naming the field.
     *
     * @param key             the record key, or {@code null}
     * @param recordHeaders   the record's headers
     * @param defaultPriority the pipeline's priority
     * @param topic           where the record was read, for the job's headers and the warnings
     * @param partition       its partition
     * @param offset          its offset
     * @return the job's fields
     */
    static Decoded decode(byte[] key, Iterable<Header> recordHeaders, long defaultPriority, String topic,
            int partition, long offset) {
        String name = null;
        long priority = 0;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : recordHeaders) {
            String k = h.key();
            byte[] v = h.value();
            if (JOB.equals(k)) {
                name = v == null ? null : new String(v, StandardCharsets.UTF_8);
            } else if (PRIORITY.equals(k)) {
                priority = readPriority(v, topic, partition, offset);
            } else if (!NOT_READ.contains(k)) {
                headers.computeIfAbsent(k, x -> new ArrayList<>(1))
                        .add(v == null ? "" : new String(v, StandardCharsets.UTF_8));
            }
        }
        headers.put(TOPIC, List.of(topic));
        headers.put(PARTITION, List.of(Integer.toString(partition)));
        headers.put(OFFSET, List.of(Long.toString(offset)));
        String id = key == null || key.length == 0 ? UUID.randomUUID().toString()
                : new String(key, StandardCharsets.UTF_8);
        if (name == null || name.isBlank()) {
            name = DEDUCED;
        }
        return new Decoded(id, name, priority > 0 ? priority : defaultPriority, Collections.unmodifiableMap(headers));
    }

    private static long readPriority(byte[] v, String topic, int partition, long offset) {
        if (v == null || v.length != Long.BYTES) {
            LOG.warn("record {}-{}@{}: header '{}' is not 8 bytes (got {}); the pipeline's priority is used", topic,
                    partition, offset, PRIORITY, v == null ? "none" : v.length + " bytes");
            return 0;
        }
        long p = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (p < 0) {
            LOG.warn("record {}-{}@{}: header '{}' is {} (above 2^63 - 1); the pipeline's priority is used", topic,
                    partition, offset, PRIORITY, Long.toUnsignedString(p));
            return 0;
        }
        return p;
    }

    /** @return the first value of a job header, or {@code null} */
    static String first(Map<String, List<String>> headers, String key) {
        List<String> v = headers.get(key);
        if (v == null) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
                    v = e.getValue();
                    break;
                }
            }
        }
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** @return the header's value as UTF-8 text, or {@code null} when absent */
    static String text(Iterable<Header> headers, String key) {
        String found = null;
        for (Header h : headers) {
            if (key.equals(h.key()) && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }
}
