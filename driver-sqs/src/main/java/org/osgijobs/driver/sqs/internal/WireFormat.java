package org.osgijobs.driver.sqs.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * RoadRunner's SQS message, both ways. The body is the payload as text; six message attributes carry the rest:
 * {@code rr_id}, {@code rr_job}, {@code rr_delay} (String), {@code rr_headers} (Binary: JSON of string to list of
 * strings), {@code rr_priority} (Number), {@code rr_auto_ack} (String {@code true}/{@code false}). A delayed job
 * whose delay SQS cannot give in one send carries a seventh, {@value #DUE}: when it is due (epoch milliseconds).
 * Never more than AWS's ten attributes: the job's own headers travel inside {@code rr_headers}.
 */
final class WireFormat {
    private static final Logger LOG = LoggerFactory.getLogger(WireFormat.class);

    static final String ID = "rr_id";
    static final String JOB = "rr_job";
    static final String DELAY = "rr_delay";
    static final String HEADERS = "rr_headers";
    static final String PRIORITY = "rr_priority";
    static final String AUTO_ACK = "rr_auto_ack";
    /** Not RoadRunner's: when a job delayed past what one send can give is due, in epoch milliseconds. */
    static final String DUE = "osgijobs_due";
    static final Set<String> RESERVED = Set.of(ID, JOB, DELAY, HEADERS, PRIORITY, AUTO_ACK, DUE);
    /** The job name of a message that does not say which job it is. */
    static final String DEDUCED = "deduced_by_rr";

    private WireFormat() {
    }

    /** A send, ready for SendMessage or one entry of SendMessageBatch. */
    record Outgoing(String body, Map<String, MessageAttributeValue> attributes, int delaySeconds, String groupId,
            String deduplicationId, int size) {
    }

    /** A received message read as a job. {@code due} is 0 when the message is not waiting for a later time. */
    record Decoded(String id, String name, byte[] payload, Map<String, List<String>> headers, long priority,
            int delay, boolean autoAck, long due) {
    }

    /**
     * @param message         the job
     * @param headers         its headers (a requeue's new ones)
     * @param priority        the priority to write (the job's, else the pipeline's)
     * @param delay           seconds before it may run
     * @param options         the pipeline: FIFO or not, its group, the longest delay of one send
     * @param nowMillis       the clock
     * @param newDeduplication {@code true} for a requeued copy: FIFO deduplication must not take it for the original
     * @throws JobsException of kind {@code BAD_INPUT} for a payload SQS cannot carry
     */
    static Outgoing encode(Message message, Map<String, List<String>> headers, long priority, int delay,
            PipelineOptions options, long nowMillis, boolean newDeduplication) {
        String body = new String(message.payload(), StandardCharsets.UTF_8);
        if (body.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "SQS cannot store an empty payload (a message body"
                    + " has at least one character)");
        }
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        a.put(ID, text(message.id()));
        a.put(JOB, text(message.name()));
        a.put(DELAY, text(Integer.toString(delay)));
        a.put(HEADERS, MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromUtf8String(HeadersJson.write(headers))).build());
        a.put(PRIORITY, MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(priority))
                .build());
        a.put(AUTO_ACK, text(Boolean.toString(message.autoAck())));
        int delaySeconds = 0;
        if (delay > 0) {
            // SQS takes no per-message delay on a FIFO queue: such a job waits out its delay invisible when received
            int step = options.fifo ? 0 : Math.min(delay, options.maxDelayStep);
            if (step < delay) {
                a.put(DUE, MessageAttributeValue.builder().dataType("Number")
                        .stringValue(Long.toString(nowMillis + delay * 1000L)).build());
            }
            delaySeconds = step;
        }
        int size = body.length();
        for (Map.Entry<String, MessageAttributeValue> e : a.entrySet()) {
            MessageAttributeValue v = e.getValue();
            size += e.getKey().length() + v.dataType().length()
                    + (v.binaryValue() != null ? v.binaryValue().asByteArray().length : v.stringValue().length());
        }
        String group = options.fifo ? options.messageGroupId : null;
        String dedup = options.fifo ? (newDeduplication ? UUID.randomUUID().toString() : deduplicationId(message.id()))
                : null;
        return new Outgoing(body, a, delaySeconds, group, dedup, size);
    }

    /** A FIFO deduplication id: the job's id when SQS takes it (up to 128 printable ASCII characters). */
    static String deduplicationId(String id) {
        if (id.length() <= 128 && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return id;
        }
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Reads a received message. A message without {@code rr_id} gets a new id and its attributes as headers; the
     * system attributes SQS sent are added to the headers; a malformed field falls back to its default with one
     * warning naming it.
     *
     * @param m               the message
     * @param pipelinePriority the priority of a message that gives none
     */
    static Decoded decode(software.amazon.awssdk.services.sqs.model.Message m, long pipelinePriority,
            String pipeline) {
        Map<String, MessageAttributeValue> a = m.messageAttributes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        MessageAttributeValue hv = a.get(HEADERS);
        if (hv != null) {
            String json = hv.binaryValue() != null ? hv.binaryValue().asUtf8String() : hv.stringValue();
            try {
                headers.putAll(HeadersJson.read(json == null ? "null" : json));
            } catch (IllegalArgumentException e) {
                warn(pipeline, m, HEADERS, e.getMessage());
            }
        }
        String id = string(a.get(ID));
        boolean foreign = id == null || id.isEmpty();
        if (foreign) {
            id = UUID.randomUUID().toString();
            a.forEach((k, v) -> {
                if (!RESERVED.contains(k)) {
                    String value = v.stringValue() != null ? v.stringValue()
                            : v.binaryValue() != null ? v.binaryValue().asUtf8String() : "";
                    headers.put(k, List.of(value));
                }
            });
        }
        m.attributes().forEach((k, v) -> {
            if (k != MessageSystemAttributeName.UNKNOWN_TO_SDK_VERSION) {
                headers.put(k.toString(), List.of(v));
            }
        });
        String name = string(a.get(JOB));
        if (name == null || name.isEmpty()) {
            name = DEDUCED;
        }
        long priority = 0;
        String p = string(a.get(PRIORITY));
        if (p != null) {
            try {
                priority = Long.parseLong(p.trim());
                if (priority < 0) {
                    warn(pipeline, m, PRIORITY, "negative: " + p);
                    priority = 0;
                }
            } catch (NumberFormatException e) {
                warn(pipeline, m, PRIORITY, "not a whole number: " + p);
            }
        }
        int delay = 0;
        String d = string(a.get(DELAY));
        if (d != null && !d.isEmpty()) {
            try {
                delay = Math.max(0, Integer.parseInt(d.trim()));
            } catch (NumberFormatException e) {
                warn(pipeline, m, DELAY, "not a whole number: " + d);
            }
        }
        boolean autoAck = false;
        String aa = string(a.get(AUTO_ACK));
        if (aa != null) {
            if (aa.equalsIgnoreCase("true") || aa.equals("1")) {
                autoAck = true;
            } else if (!aa.equalsIgnoreCase("false") && !aa.equals("0") && !aa.isEmpty()) {
                warn(pipeline, m, AUTO_ACK, "not true or false: " + aa);
            }
        }
        long due = 0;
        String du = string(a.get(DUE));
        if (du != null) {
            try {
                due = Long.parseLong(du.trim());
            } catch (NumberFormatException e) {
                warn(pipeline, m, DUE, "not a whole number: " + du);
            }
        }
        String body = m.body() == null ? "" : m.body();
        return new Decoded(id, name, body.getBytes(StandardCharsets.UTF_8), headers,
                priority > 0 ? priority : pipelinePriority, delay, autoAck, due);
    }

    private static MessageAttributeValue text(String s) {
        return MessageAttributeValue.builder().dataType("String").stringValue(s).build();
    }

    private static String string(MessageAttributeValue v) {
        if (v == null) {
            return null;
        }
        return v.stringValue() != null ? v.stringValue()
                : v.binaryValue() != null ? v.binaryValue().asUtf8String() : null;
    }

    private static void warn(String pipeline, software.amazon.awssdk.services.sqs.model.Message m, String field,
            String what) {
        LOG.warn("pipeline '{}': message {}: attribute '{}' is malformed ({}); its default is used", pipeline,
                m.messageId(), field, what);
    }
}
