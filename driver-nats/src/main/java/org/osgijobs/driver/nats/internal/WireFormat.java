package org.osgijobs.driver.nats.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

import io.nats.client.impl.Headers;

/**
 * RoadRunner's NATS message format. The body is JSON:
 * <pre>
 * {"job":"name","id":"…","payload":"&lt;base64&gt;","options":{"priority":10,"pipeline":"p","delay":5,"auto_ack":false,"Queue":"stream"}}
 * </pre>
 * ({@code pipeline} left out when empty, {@code delay} when 0; note the capital {@code Queue}, Go's field name),
 * and the job's headers travel as NATS message headers, several values per key. A body that is not such an object
 * is a foreign message: it runs with its raw body as payload.
 */
final class WireFormat {

    /** The job name of a message that carries none (RoadRunner's). */
    static final String DEDUCED_NAME = "deduced_by_rr";
    /** The header RoadRunner adds on consumption: the subject the message came on. */
    static final String SUBJECT_HEADER = "x-nats-subject";
    /** Headers the server and client use for JetStream itself: never job headers. */
    private static final String NATS_PREFIX = "Nats-";

    private WireFormat() {
    }

    /** A message as it goes on the wire; {@code headers} is {@code null} for a job without headers. */
    record Encoded(Headers headers, byte[] body) {
    }

    /**
     * The job's metadata, read leniently: what is missing or malformed took a default, listed in
     * {@link #problems()}.
     *
     * @param foreign  the body was not RoadRunner's JSON: {@link #payload()} is the raw body
     * @param problems what took a default and why, empty when none
     */
    record Decoded(String name, String id, byte[] payload, long priority, int delay, boolean autoAck,
            Map<String, List<String>> headers, boolean foreign, List<String> problems) {
    }

    /**
     * @param message  the job
     * @param pipeline the pipeline it is pushed to
     * @param priority the priority written ({@code message.priority()} resolved against the pipeline's)
     * @param delay    the delay written (seconds; 0 leaves it out)
     * @param stream   the stream, written as {@code Queue}
     * @param headers  the job's headers
     * @return headers and body
     * @throws JobsException of kind {@code BAD_INPUT} naming a header that NATS cannot carry
     */
    static Encoded encode(Message message, String pipeline, long priority, int delay, String stream,
            Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder(96 + message.payloadSize() * 4 / 3);
        out.append("{\"job\":");
        Json.writeString(out, message.name());
        out.append(",\"id\":");
        Json.writeString(out, message.id());
        out.append(",\"payload\":\"").append(Base64.getEncoder().encodeToString(message.payload()))
                .append("\",\"options\":{\"priority\":").append(priority);
        if (pipeline != null && !pipeline.isEmpty()) {
            out.append(",\"pipeline\":");
            Json.writeString(out, pipeline);
        }
        if (delay > 0) {
            out.append(",\"delay\":").append(delay);
        }
        out.append(",\"auto_ack\":").append(message.autoAck()).append(",\"Queue\":");
        Json.writeString(out, stream);
        out.append("}}");
        return new Encoded(headers(headers), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Headers headers(Map<String, List<String>> jobHeaders) {
        Headers h = new Headers();
        jobHeaders.forEach((key, values) -> {
            if (key.equalsIgnoreCase(SUBJECT_HEADER) || values == null || values.isEmpty()) {
                return; // added again on consumption, from the subject the message really came on
            }
            try {
                h.add(key, values);
            } catch (IllegalArgumentException e) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, "header '" + printable(key) + "' cannot"
                        + " travel as a NATS header: " + e.getMessage());
            }
        });
        return h.isEmpty() ? null : h; // a plain PUB: no header block to write, store and parse
    }

    /**
     * Reads a delivered message.
     *
     * @param body             the message's data
     * @param natsHeaders      its headers, possibly {@code null}
     * @param subject          the subject it came on
     * @param pipelinePriority the consuming pipeline's priority
     * @param fallbackId       gives the id of a message that carries none (a new one per message, stable across its
     *                         redeliveries)
     * @return the job it describes
     */
    static Decoded decode(byte[] body, Headers natsHeaders, String subject, long pipelinePriority,
            java.util.function.Supplier<String> fallbackId) {
        byte[] data = body == null ? new byte[0] : body;
        List<String> problems = new ArrayList<>(0);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (natsHeaders != null) {
            try {
                natsHeaders.forEach((key, values) -> {
                    if (!key.regionMatches(true, 0, NATS_PREFIX, 0, NATS_PREFIX.length())
                            && !key.equalsIgnoreCase(SUBJECT_HEADER)) {
                        headers.put(key, List.copyOf(values));
                    }
                });
            } catch (RuntimeException e) {
                problems.add("unreadable headers (" + e.getClass().getSimpleName() + ")");
            }
        }
        headers.put(SUBJECT_HEADER, List.of(subject));
        Map<String, List<String>> frozen = Collections.unmodifiableMap(headers);

        Map<?, ?> object = roadRunnerObject(data);
        if (object == null) {
            return new Decoded(DEDUCED_NAME, fallbackId.get(), data, pipelinePriority, 0, false, frozen, true,
                    problems);
        }
        String name = text(object, "job");
        if (name == null || name.isBlank()) {
            problems.add(object.containsKey("job") ? "malformed job" : "no job");
            name = DEDUCED_NAME;
        }
        String id = text(object, "id");
        if (id == null || id.isEmpty()) {
            problems.add(object.containsKey("id") ? "malformed id" : "no id");
            id = fallbackId.get();
        }
        byte[] payload = new byte[0];
        Object rawPayload = object.get("payload");
        if (rawPayload instanceof String) {
            try {
                payload = Base64.getDecoder().decode((String) rawPayload);
            } catch (IllegalArgumentException e) {
                problems.add("malformed payload (not base64: its text is the payload)");
                payload = ((String) rawPayload).getBytes(StandardCharsets.UTF_8);
            }
        } else if (rawPayload != null) {
            problems.add("malformed payload " + describe(rawPayload));
        }
        long priority = pipelinePriority;
        int delay = 0;
        boolean autoAck = false;
        Object rawOptions = object.get("options");
        if (rawOptions instanceof Map) {
            Map<?, ?> options = (Map<?, ?>) rawOptions;
            Object p = options.get("priority");
            if (p != null) {
                if (!(p instanceof Long) || (Long) p < 0) {
                    problems.add("malformed options.priority " + describe(p));
                } else if ((Long) p > 0) {
                    priority = (Long) p; // 0 means the pipeline's, as on push
                }
            }
            Object d = options.get("delay");
            if (d != null) {
                if (!(d instanceof Long) || (Long) d < 0 || (Long) d > Integer.MAX_VALUE) {
                    problems.add("malformed options.delay " + describe(d));
                } else {
                    delay = ((Long) d).intValue();
                }
            }
            Object a = options.get("auto_ack");
            if (a != null) {
                if (a instanceof Boolean) {
                    autoAck = (Boolean) a;
                } else {
                    problems.add("malformed options.auto_ack " + describe(a));
                }
            }
        } else if (rawOptions != null) {
            problems.add("malformed options " + describe(rawOptions));
        }
        return new Decoded(name, id, payload, priority, delay, autoAck, frozen, false, problems);
    }

    /** @return the body's JSON object when it is RoadRunner's (an object with a job, id or payload), else null */
    private static Map<?, ?> roadRunnerObject(byte[] data) {
        if (data.length == 0 || data[0] != '{' && !Character.isWhitespace(data[0])) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(data, StandardCharsets.UTF_8));
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
        if (!(parsed instanceof Map)) {
            return null;
        }
        Map<?, ?> map = (Map<?, ?>) parsed;
        return map.containsKey("job") || map.containsKey("id") || map.containsKey("payload") ? map : null;
    }

    /** @return a stable id for a message that carries none: derived from where the stream keeps it */
    static String fallbackId(String stream, long sequence) {
        return UUID.nameUUIDFromBytes((stream + "/" + sequence).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String text(Map<?, ?> object, String key) {
        Object v = object.get(key);
        return v instanceof String ? (String) v : null;
    }

    private static String describe(Object value) {
        String s = String.valueOf(value);
        return "(" + (value == null ? "null" : value.getClass().getSimpleName()) + " "
                + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + ")";
    }

    private static String printable(String key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length() && i < 64; i++) {
            char c = key.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
