package org.osgijobs.driver.amqp.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgijobs.api.driver.Pipeline;

/**
 * The queue arguments of option {@code queue_headers}: a JSON object (as RoadRunner takes it through
 * {@code declare}), and keys {@code queue_headers.<argument>} (how a flat configuration file spells a map).
 * <p>
 * Values that the broker only accepts as numbers or booleans are converted from strings, so that
 * {@code "x-max-priority":"10"} works as it does in RoadRunner's configuration.
 */
final class QueueArguments {

    static final String PREFIX = PipelineOptions.QUEUE_HEADERS + ".";

    /** Arguments the broker wants as integers. */
    private static final Set<String> INTEGER_ARGUMENTS = Set.of("x-max-priority", "x-message-ttl", "x-expires",
            "x-max-length", "x-max-length-bytes", "x-delivery-limit", "x-quorum-initial-group-size",
            "x-max-age-segment-bytes", "x-stream-max-segment-size-bytes", "x-initial-cluster-size");
    /** Arguments the broker wants as booleans. */
    private static final Set<String> BOOLEAN_ARGUMENTS = Set.of("x-single-active-consumer");

    private QueueArguments() {
    }

    /**
     * @param pipeline the pipeline
     * @return the queue arguments, unmodifiable, in the order given
     * @throws org.osgijobs.api.JobsException naming {@code queue_headers} when the JSON or a value is malformed
     */
    static Map<String, Object> of(Pipeline pipeline) {
        Map<String, Object> args = new LinkedHashMap<>();
        String json = pipeline.getString(PipelineOptions.QUEUE_HEADERS, null);
        if (json != null) {
            Object parsed;
            try {
                parsed = Json.parse(json);
            } catch (IllegalArgumentException e) {
                throw pipeline.bad(PipelineOptions.QUEUE_HEADERS, json, "a JSON object (" + e.getMessage() + ")");
            }
            if (!(parsed instanceof Map)) {
                throw pipeline.bad(PipelineOptions.QUEUE_HEADERS, json, "a JSON object");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                args.put((String) e.getKey(), value(pipeline, (String) e.getKey(), e.getValue()));
            }
        }
        pipeline.options().forEach((key, value) -> {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                String name = key.substring(PREFIX.length());
                args.put(name, value(pipeline, name, value));
            }
        });
        return Collections.unmodifiableMap(args);
    }

    private static Object value(Pipeline pipeline, String name, Object value) {
        String option = PipelineOptions.QUEUE_HEADERS + "." + name;
        if (value instanceof Map || value instanceof java.util.List || value == null) {
            throw pipeline.bad(option, String.valueOf(value), "a string, a number or a boolean");
        }
        if (INTEGER_ARGUMENTS.contains(name)) {
            if (value instanceof Long) {
                return value;
            }
            if (value instanceof Double && ((Double) value) == Math.rint((Double) value)) {
                return ((Double) value).longValue();
            }
            try {
                return Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw pipeline.bad(option, value.toString(), "an integer");
            }
        }
        if (BOOLEAN_ARGUMENTS.contains(name)) {
            if (value instanceof Boolean) {
                return value;
            }
            String s = value.toString().trim();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(s);
            }
            throw pipeline.bad(option, s, "true or false");
        }
        return value;
    }
}
