package org.osgijobs.core.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgijobs.api.JobsException;

/**
 * The parsed global configuration (PID {@code jobs}). Parsing is done by hand rather than by DS coercion so that a
 * malformed value gets an error naming the key instead of a component that silently fails to activate.
 *
 * @param numWorkers   threads executing handlers
 * @param pipelineSize capacity of the shared priority queue
 * @param timeout      seconds for push confirmation and for stopping a pipeline
 * @param consume      pipelines that start consuming when they appear
 * @param jobTimeout   seconds a handler may run, 0 for no limit
 * @param maxJobSize   largest payload accepted by push, in bytes
 */
record RuntimeSettings(int numWorkers, int pipelineSize, int timeout, Set<String> consume, int jobTimeout,
        int maxJobSize) {

    static final String PID = "jobs";

    static RuntimeSettings defaults() {
        return of(Map.of());
    }

    /**
     * @param props the configuration properties
     * @return the settings
     * @throws JobsException naming the key when a value is malformed or out of range
     */
    static RuntimeSettings of(Map<String, ?> props) {
        int workers = intValue(props, "num_workers", Runtime.getRuntime().availableProcessors(), 1);
        int size = intValue(props, "pipeline_size", 1_000_000, 1);
        int timeout = intValue(props, "timeout", 60, 1);
        int jobTimeout = intValue(props, "job_timeout", 0, 0);
        int maxJobSize = intValue(props, "max_job_size", 16 * 1024 * 1024, 1);
        return new RuntimeSettings(workers, size, timeout, Set.copyOf(strings(props.get("consume"))), jobTimeout,
                maxJobSize);
    }

    private static int intValue(Map<String, ?> props, String key, int defaultValue, int min) {
        Object raw = props.get(key);
        if (raw == null || raw.toString().isBlank()) {
            return defaultValue;
        }
        int value;
        if (raw instanceof Number) {
            value = ((Number) raw).intValue();
        } else {
            try {
                value = Integer.parseInt(raw.toString().trim());
            } catch (NumberFormatException e) {
                throw new JobsException("configuration '" + PID + "': '" + key + "' must be an integer, got '" + raw
                        + "'");
            }
        }
        if (value < min) {
            throw new JobsException("configuration '" + PID + "': '" + key + "' must be at least " + min + ", got "
                    + value);
        }
        return value;
    }

    /** Reads a list of names given as an array, a collection, or one comma-separated string. */
    static List<String> strings(Object raw) {
        List<String> result = new ArrayList<>();
        if (raw == null) {
            return result;
        }
        if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                addSplit(result, String.valueOf(Array.get(raw, i)));
            }
        } else if (raw instanceof Collection) {
            ((Collection<?>) raw).forEach(v -> addSplit(result, String.valueOf(v)));
        } else {
            addSplit(result, raw.toString());
        }
        return result;
    }

    private static void addSplit(List<String> into, String value) {
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                into.add(part.trim());
            }
        }
    }
}
