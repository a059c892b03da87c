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
 * @param numWorkers   threads executing handlers (0 in the configuration means the number of CPUs)
 * @param pipelineSize capacity of the shared priority queue
 * @param timeout      seconds for push confirmation and for stopping a pipeline
 * @param consume      pipelines that start consuming when they appear
 * @param jobTimeout   seconds a handler may run, 0 for no limit
 * @param maxJobSize   largest payload accepted by push, in bytes
 * @param driverWait   seconds a push waits for the driver of a pipeline whose driver is being replaced
 */
record RuntimeSettings(int numWorkers, int pipelineSize, int timeout, Set<String> consume, int jobTimeout,
        int maxJobSize, int driverWait) {

    static final String PID = "jobs";
    /**
     * The shared queue's default capacity. A queued memory job costs about 200 bytes beyond its payload, so the
     * full queue holds about 20 MB: it fits the distribution's default heap with room for the pipelines' own
     * bounded buffers.
     */
    static final int DEFAULT_PIPELINE_SIZE = 100_000;
    /** Long enough for a bundle update or a configuration edit (tens of milliseconds), short for an outage. */
    static final int DEFAULT_DRIVER_WAIT = 5;

    static RuntimeSettings defaults() {
        return of(Map.of());
    }

    /**
     * @param props the configuration properties
     * @return the settings
     * @throws JobsException naming the key when a value is malformed or out of range
     */
    static RuntimeSettings of(Map<String, ?> props) {
        int workers = intValue(props, "num_workers", 0, 0);
        if (workers == 0) {
            workers = Runtime.getRuntime().availableProcessors();
        }
        int size = intValue(props, "pipeline_size", DEFAULT_PIPELINE_SIZE, 1);
        int timeout = intValue(props, "timeout", 60, 1);
        int jobTimeout = intValue(props, "job_timeout", 0, 0);
        int maxJobSize = intValue(props, "max_job_size", 16 * 1024 * 1024, 1);
        int driverWait = intValue(props, "driver_wait", DEFAULT_DRIVER_WAIT, 0);
        return new RuntimeSettings(workers, size, timeout, Set.copyOf(strings(props.get("consume"))), jobTimeout,
                maxJobSize, driverWait);
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
                throw new JobsException(JobsException.Kind.BAD_INPUT, "configuration '" + PID + "': '" + key
                        + "' must be an integer from " + min + " to " + Integer.MAX_VALUE + ", got '" + raw + "'");
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
