package org.osgijobs.driver.amqp.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgijobs.api.Message;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;

/**
 * RoadRunner's AMQP message format: the payload is the body, the job's metadata travels in AMQP headers with
 * these field types: {@code rr_id}, {@code rr_job}, {@code rr_pipeline} long strings; {@code rr_headers} a byte
 * array holding a JSON object of string to list of strings; {@code rr_delay} a 32-bit integer (seconds);
 * {@code rr_priority} a 64-bit integer; {@code rr_auto_ack} a boolean. Messages are persistent, content type
 * {@code application/octet-stream}.
 */
final class WireFormat {

    static final String RR_ID = "rr_id";
    static final String RR_JOB = "rr_job";
    static final String RR_PIPELINE = "rr_pipeline";
    static final String RR_HEADERS = "rr_headers";
    static final String RR_DELAY = "rr_delay";
    static final String RR_PRIORITY = "rr_priority";
    static final String RR_AUTO_ACK = "rr_auto_ack";
    /** A job header that overrides the pipeline's routing key for one push; it is not carried on. */
    static final String X_ROUTING_KEY = "x-routing-key";
    static final String CONTENT_TYPE = "application/octet-stream";
    /** The job name of a message that carries none (RoadRunner's). */
    static final String DEDUCED_NAME = "deduced_by_rr";

    private static final int PERSISTENT = 2;
    /** {@code rr_headers} of a job without headers. */
    private static final byte[] EMPTY_JSON_OBJECT = {'{', '}'};
    private static final String JOB_HEADERS_SHAPE = "want a JSON object of string lists";

    private WireFormat() {
    }

    /**
     * @param message   the job
     * @param pipeline  the pipeline it is pushed to
     * @param priority  the priority written ({@code message.priority()} resolved against the pipeline's)
     * @param headers   the job headers to write (without {@value #X_ROUTING_KEY})
     * @return the AMQP properties of the message
     */
    static AMQP.BasicProperties properties(Message message, String pipeline, long priority,
            Map<String, List<String>> headers) {
        return properties(message, pipeline, priority, headers, false);
    }

    /**
     * As {@link #properties(Message, String, long, Map)}; the compact form leaves out the headers that carry their
     * default: {@code rr_headers} without job headers, {@code rr_delay} 0, {@code rr_auto_ack} false. This driver's
     * reader, and RoadRunner's for the job's options, take exactly these values when the header is missing. (Recent
     * RoadRunner versions also copy every AMQP header into the job's header map, so there a RoadRunner handler
     * sees three {@code rr_*} entries less: that is why the full form stays the default; see the README.) The id,
     * name, pipeline and priority always travel: a reader without them makes up an id, names the job
     * {@value #DEDUCED_NAME}, and takes its own pipeline's name and priority.
     *
     * @param compact whether to leave out the headers that carry their default
     */
    static AMQP.BasicProperties properties(Message message, String pipeline, long priority,
            Map<String, List<String>> headers, boolean compact) {
        Map<String, Object> table = new LinkedHashMap<>(8);
        table.put(RR_ID, message.id());
        table.put(RR_JOB, message.name());
        table.put(RR_PIPELINE, pipeline);
        if (headers.isEmpty()) {
            if (!compact) {
                // most jobs carry no headers: no JSON writer for them (it took an eighth of the producer's CPU)
                table.put(RR_HEADERS, EMPTY_JSON_OBJECT.clone());
            }
        } else {
            table.put(RR_HEADERS, Json.writeHeaders(headers).getBytes(StandardCharsets.UTF_8));
        }
        if (!compact || message.delay() != 0) {
            table.put(RR_DELAY, Integer.valueOf(message.delay()));
        }
        table.put(RR_PRIORITY, Long.valueOf(priority));
        if (!compact || message.autoAck()) {
            table.put(RR_AUTO_ACK, Boolean.valueOf(message.autoAck()));
        }
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .timestamp(new Date())
                .headers(table)
                .build();
    }

    /**
     * The job a delivery describes, read leniently: what is missing or malformed takes a default and is
     * reported in {@link Decoded#problems()}.
     *
     * @param amqpHeaders      the delivery's headers, possibly {@code null}
     * @param pipelinePriority the consuming pipeline's priority
     * @return the decoded job metadata
     */
    static Decoded decode(Map<String, Object> amqpHeaders, long pipelinePriority) {
        Map<String, Object> h = amqpHeaders == null ? Map.of() : amqpHeaders;
        List<String> problems = new ArrayList<>(0);

        String id = text(h.get(RR_ID));
        if (id == null || id.isEmpty()) {
            problems.add(h.containsKey(RR_ID) ? "malformed rr_id" : "no rr_id");
            id = UUID.randomUUID().toString();
        }
        String name = text(h.get(RR_JOB));
        if (name == null || name.isBlank()) {
            problems.add(h.containsKey(RR_JOB) ? "malformed rr_job" : "no rr_job");
            name = DEDUCED_NAME;
        }

        // the two fields read by nested code (arrays of any depth, JSON): a failure of that code on some value,
        // even a StackOverflowError, is a malformed field, named, and the rest of the message is still read
        Map<String, List<String>> headers = new LinkedHashMap<>();
        h.forEach((key, value) -> {
            if (!key.startsWith("rr_") && !isBrokerBookkeeping(key)) {
                List<String> values = new ArrayList<>(1);
                try {
                    flatten(value, values);
                } catch (RuntimeException | StackOverflowError e) {
                    problems.add("unreadable header '" + key + "' (" + e.getClass().getSimpleName() + ")");
                    return;
                }
                if (!values.isEmpty()) {
                    headers.put(key, Collections.unmodifiableList(values));
                }
            }
        });
        Object rrHeaders = h.get(RR_HEADERS);
        if (rrHeaders != null) {
            try {
                headers.putAll(jobHeaders(rrHeaders));
            } catch (IllegalArgumentException e) {
                problems.add("malformed rr_headers (" + e.getMessage() + ")");
            } catch (RuntimeException | StackOverflowError e) {
                problems.add("unreadable rr_headers (" + e.getClass().getSimpleName() + ")");
            }
        }

        int delay = 0;
        Object rawDelay = h.get(RR_DELAY);
        if (rawDelay != null) {
            Long d = integer(rawDelay);
            if (d == null || d < 0 || d > Integer.MAX_VALUE) {
                problems.add("malformed rr_delay " + describe(rawDelay));
            } else {
                delay = d.intValue();
            }
        }

        long priority = pipelinePriority;
        Object rawPriority = h.get(RR_PRIORITY);
        if (rawPriority != null) {
            Long p = integer(rawPriority);
            if (p == null || p < 0) {
                problems.add("malformed rr_priority " + describe(rawPriority));
            } else if (p > 0) {
                priority = p; // 0 means the pipeline's priority, as on push
            }
        }

        boolean autoAck = false;
        Object rawAutoAck = h.get(RR_AUTO_ACK);
        if (rawAutoAck instanceof Boolean) {
            autoAck = (Boolean) rawAutoAck;
        } else if (rawAutoAck != null) {
            problems.add("malformed rr_auto_ack " + describe(rawAutoAck));
        }
        return new Decoded(id, name, Collections.unmodifiableMap(headers), priority, delay, autoAck,
                List.copyOf(problems));
    }

    /**
     * The defaults a delivery gets when its headers cannot be read at all: a foreign message.
     *
     * @param pipelinePriority the consuming pipeline's priority
     * @param problem          what could not be read, for the warning
     * @return a new id, the name {@value #DEDUCED_NAME}, no headers, the pipeline's priority
     */
    static Decoded foreign(long pipelinePriority, String problem) {
        return new Decoded(UUID.randomUUID().toString(), DEDUCED_NAME, Map.of(), pipelinePriority, 0, false,
                List.of(problem));
    }

    /**
     * A decoded delivery.
     *
     * @param id       the job id
     * @param name     the job name
     * @param headers  the job headers
     * @param priority the effective priority
     * @param delay    the delay it was pushed with
     * @param autoAck  whether it is acknowledged when taken
     * @param problems what was missing or malformed, empty for a well-formed message
     */
    record Decoded(String id, String name, Map<String, List<String>> headers, long priority, int delay,
            boolean autoAck, List<String> problems) {
    }

    /** Headers the broker adds when it dead-letters a message (every delayed job passes through one). */
    private static boolean isBrokerBookkeeping(String key) {
        return key.equals("x-death") || key.startsWith("x-first-death-") || key.startsWith("x-last-death-");
    }

    /**
     * @return the job headers an {@code rr_headers} value holds
     * @throws IllegalArgumentException saying why, when it is not a JSON object of strings or string lists
     *         (nested deeper than {@link Json#MAX_DEPTH} levels among them)
     */
    private static Map<String, List<String>> jobHeaders(Object raw) {
        String json;
        if (raw instanceof byte[]) {
            json = new String((byte[]) raw, StandardCharsets.UTF_8);
        } else if (raw instanceof LongString || raw instanceof String) {
            json = raw.toString();
        } else {
            throw new IllegalArgumentException(JOB_HEADERS_SHAPE);
        }
        String trimmed = json.trim();
        if (trimmed.isEmpty() || trimmed.equals("null") || trimmed.equals("{}")) {
            return Map.of(); // the common case, without the JSON reader
        }
        Object parsed = Json.parse(json);
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException(JOB_HEADERS_SHAPE);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            Object v = e.getValue();
            List<String> values = new ArrayList<>();
            if (v instanceof List) {
                for (Object item : (List<?>) v) {
                    if (!(item instanceof String)) {
                        throw new IllegalArgumentException(JOB_HEADERS_SHAPE);
                    }
                    values.add((String) item);
                }
            } else if (v instanceof String) {
                values.add((String) v);
            } else if (v != null) {
                throw new IllegalArgumentException(JOB_HEADERS_SHAPE);
            }
            headers.put((String) e.getKey(), Collections.unmodifiableList(values));
        }
        return headers;
    }

    /** Turns an AMQP field value into header strings, as RoadRunner does for foreign headers. */
    private static void flatten(Object value, List<String> out) {
        if (value == null) {
            return;
        }
        if (value instanceof byte[]) {
            out.add(new String((byte[]) value, StandardCharsets.UTF_8));
        } else if (value instanceof List) {
            for (Object item : (List<?>) value) {
                flatten(item, out);
            }
        } else if (value instanceof Date) {
            out.add(((Date) value).toInstant().toString());
        } else if (value instanceof BigDecimal) {
            out.add(((BigDecimal) value).toPlainString());
        } else if (!(value instanceof Map)) {
            out.add(value.toString()); // strings, long strings, numbers, booleans
        }
    }

    private static String text(Object value) {
        if (value instanceof LongString || value instanceof String) {
            return value.toString();
        }
        return null;
    }

    private static Long integer(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return null;
    }

    private static String describe(Object value) {
        String shown = value instanceof byte[] ? ((byte[]) value).length + " bytes" : String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        String type = value instanceof LongString ? "LongString" : value.getClass().getSimpleName();
        return "(" + type + " '" + shown + "')";
    }
}
