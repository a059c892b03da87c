package org.osgijobs.api.driver;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

import org.osgijobs.api.JobsException;

/**
 * The options of one pipeline: an immutable, typed view over a string-keyed map. Typed getters report a
 * malformed value with a {@link JobsException} that names the pipeline, the option and the value.
 */
public final class Pipeline {

    /** The priority of a pipeline that sets none. */
    public static final long DEFAULT_PRIORITY = 10;

    private final Map<String, String> options;

    private Pipeline(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Builds a pipeline from options of any value type (configuration admin gives numbers, booleans, arrays):
     * values become strings; arrays and collections are joined with commas. {@code null} values are dropped.
     *
     * @param options the options; {@code name} and {@code driver} are required
     * @return the pipeline
     * @throws JobsException when {@code name} or {@code driver} is missing or blank
     */
    public static Pipeline of(Map<String, ?> options) {
        Map<String, String> copy = new TreeMap<>();
        options.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, stringOf(v));
            }
        });
        String name = copy.get("name");
        if (name == null || name.isBlank()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline option 'name' is required");
        }
        String driver = copy.get("driver");
        if (driver == null || driver.isBlank()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + name + "': option 'driver' is required");
        }
        copy.put("name", name.trim());
        copy.put("driver", driver.trim());
        return new Pipeline(Collections.unmodifiableMap(copy));
    }

    /** @return the pipeline's name */
    public String name() {
        return options.get("name");
    }

    /** @return the driver's name */
    public String driver() {
        return options.get("driver");
    }

    /**
     * @return the pipeline's priority, lower first ({@value #DEFAULT_PRIORITY} by default)
     * @throws JobsException when the option is malformed or negative
     */
    public long priority() {
        long priority = getLong("priority", DEFAULT_PRIORITY);
        if (priority < 0) {
            throw bad("priority", String.valueOf(priority), "a number not below 0");
        }
        return priority;
    }

    /** @return all options, unmodifiable and sorted by key */
    public Map<String, String> options() {
        return options;
    }

    /**
     * @param key an option
     * @return {@code true} when the option is set to a non-blank value
     */
    public boolean has(String key) {
        String v = options.get(key);
        return v != null && !v.isBlank();
    }

    /**
     * @param key          an option
     * @param defaultValue the value when the option is absent or blank
     * @return the option's value, trimmed
     */
    public String getString(String key, String defaultValue) {
        String v = options.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /**
     * @param key          an option
     * @param defaultValue the value when the option is absent or blank
     * @return the option as an int
     * @throws JobsException when the value is not an integer in the range of an int
     */
    public int getInt(String key, int defaultValue) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
    }

    /**
     * @param key          an option
     * @param defaultValue the value when the option is absent or blank
     * @return the option as a long
     * @throws JobsException when the value is not an integer
     */
    public long getLong(String key, long defaultValue) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    /**
     * @param key          an option
     * @param defaultValue the value when the option is absent or blank
     * @return the option as a double
     * @throws JobsException when the value is not a number
     */
    public double getDouble(String key, double defaultValue) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException(v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number");
        }
    }

    /**
     * @param key          an option
     * @param defaultValue the value when the option is absent or blank
     * @return the option as a boolean: {@code true} or {@code false}, in any case
     * @throws JobsException when the value is neither
     */
    public boolean getBool(String key, boolean defaultValue) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
        case "true":
            return true;
        case "false":
            return false;
        default:
            throw bad(key, v, "true or false");
        }
    }

    /**
     * @param key   an option
     * @param value its new value; {@code null} removes it
     * @return a copy with the option changed
     */
    public Pipeline with(String key, Object value) {
        Map<String, Object> copy = new TreeMap<>(options);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return of(copy);
    }

    /**
     * Builds the error for a malformed option.
     *
     * @param key      the option
     * @param value    the value found
     * @param expected what the option takes
     * @return an exception naming the pipeline, the option and the value
     */
    public JobsException bad(String key, String value, String expected) {
        return new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + name() + "': option '" + key + "' must be " + expected + ", got '"
                + value + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline && ((Pipeline) o).options.equals(options);
    }

    @Override
    public int hashCode() {
        return options.hashCode();
    }

    @Override
    public String toString() {
        return "Pipeline" + options;
    }

    private static String stringOf(Object v) {
        if (v.getClass().isArray()) {
            StringJoiner joiner = new StringJoiner(",");
            for (int i = 0; i < Array.getLength(v); i++) {
                joiner.add(String.valueOf(Array.get(v, i)));
            }
            return joiner.toString();
        }
        if (v instanceof Collection) {
            StringJoiner joiner = new StringJoiner(",");
            ((Collection<?>) v).forEach(e -> joiner.add(String.valueOf(e)));
            return joiner.toString();
        }
        return Objects.toString(v);
    }
}
