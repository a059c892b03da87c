package org.osgijobs.driver.beanstalk.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RoadRunner's beanstalk job item as it travels in gob: {@code Job}, {@code Ident}, {@code Payload}, {@code Hdrs}
 * (absent before RoadRunner v6) and {@code Options}. Immutable. A {@code null} {@link #headers()} or
 * {@link #options()} is a nil map or pointer in Go, which gob leaves out; an empty map is sent.
 */
record WireItem(String job, String ident, byte[] payload, Map<String, List<String>> headers, Options options) {

    /** RoadRunner's item options: {@code Priority int64}, {@code Pipeline}, {@code Delay int}, {@code AutoAck}, {@code Queue}. */
    record Options(long priority, String pipeline, long delay, boolean autoAck, String queue) {
        Options {
            pipeline = pipeline == null ? "" : pipeline;
            queue = queue == null ? "" : queue;
        }
    }

    WireItem {
        job = job == null ? "" : job;
        ident = ident == null ? "" : ident;
        payload = payload == null ? new byte[0] : payload.clone();
        if (headers != null) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "header name"),
                    v == null ? List.of() : List.copyOf(v)));
            headers = Collections.unmodifiableMap(copy);
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireItem w && w.job.equals(job) && w.ident.equals(ident)
                && Arrays.equals(w.payload, payload) && Objects.equals(w.headers, headers)
                && Objects.equals(w.options, options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, ident, Arrays.hashCode(payload), headers, options);
    }

    @Override
    public String toString() {
        return "WireItem[job=" + job + ", ident=" + ident + ", payload=" + payload.length + " bytes, headers="
                + headers + ", options=" + options + "]";
    }
}
