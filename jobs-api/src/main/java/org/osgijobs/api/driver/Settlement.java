package org.osgijobs.api.driver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the runtime decided for a job that a worker took: the one argument of {@link Job#settle(Settlement)}. An
 * immutable value; kinds may be added in minor versions (a driver treats an unknown kind as {@link Kind#REQUEUE}
 * with the job's own headers, which loses nothing).
 */
public final class Settlement {
    private static final Settlement ACK = new Settlement(Kind.ACK, Map.of(), 0);
    private static final Settlement REJECT = new Settlement(Kind.REJECT, Map.of(), 0);

    /** The kinds of settlement. */
    public enum Kind {
        /** The job is done: acknowledge it and forget it. */
        ACK,
        /** The job is given up on: reject it without putting it back (the runtime dead-lettered it or drops it). */
        REJECT,
        /** The job must run again: store it again with {@link #headers()}, available after {@link #delay()}. */
        REQUEUE
    }

    private final Kind kind;
    private final Map<String, List<String>> headers;
    private final int delay;

    private Settlement(Kind kind, Map<String, List<String>> headers, int delay) {
        this.kind = kind;
        this.headers = headers;
        this.delay = delay;
    }

    /** @return the settlement of a job that is done */
    public static Settlement ack() {
        return ACK;
    }

    /** @return the settlement of a job that must not come back */
    public static Settlement reject() {
        return REJECT;
    }

    /**
     * @param headers the job's headers from now on (replacing its old ones)
     * @param delay   seconds before it is available again, not negative
     * @return the settlement of a job that must run again
     */
    public static Settlement requeue(Map<String, List<String>> headers, int delay) {
        if (delay < 0) {
            throw new IllegalArgumentException("requeue delay must not be negative, got " + delay);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "header name"),
                    v == null ? List.of() : List.copyOf(v)));
        }
        return new Settlement(Kind.REQUEUE, Collections.unmodifiableMap(copy), delay);
    }

    /** @return what to do with the job */
    public Kind kind() {
        return kind;
    }

    /** @return for {@link Kind#REQUEUE}, the job's new headers; empty otherwise */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** @return for {@link Kind#REQUEUE}, seconds before the job is available again; 0 otherwise */
    public int delay() {
        return delay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settlement && ((Settlement) o).kind == kind && ((Settlement) o).delay == delay
                && ((Settlement) o).headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, headers, delay);
    }

    @Override
    public String toString() {
        return kind == Kind.REQUEUE ? "requeue(delay=" + delay + ", headers=" + headers + ")"
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
