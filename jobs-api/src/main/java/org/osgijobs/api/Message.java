package org.osgijobs.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a producer pushes: an immutable job description. The field names follow RoadRunner's Jobs API:
 * {@code name} is the job's type (RoadRunner's {@code job}), the options are {@code pipeline}, {@code priority}
 * ({@code 0} inherits the pipeline's priority), {@code delay} in seconds and {@code autoAck}.
 * <p>
 * Build one with {@link #builder(String)}; {@link #toBuilder()} derives a changed copy.
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];

    private final String name;
    private final String id;
    private final byte[] payload;
    private final Map<String, List<String>> headers;
    private final String pipeline;
    private final long priority;
    private final int delay;
    private final boolean autoAck;

    private Message(Builder b) {
        this.name = b.name;
        this.id = b.id != null ? b.id : JobIds.next();
        this.payload = b.payload;
        this.headers = b.headers;
        this.pipeline = b.pipeline;
        this.priority = b.priority;
        this.delay = b.delay;
        this.autoAck = b.autoAck;
    }

    /**
     * Starts a message for a job of the given name (its type: handlers are selected by it).
     *
     * @param name the job name; must not be blank
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this message's values, for a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.id = id;
        b.payload = payload;
        b.headers = headers;
        b.pipeline = pipeline;
        b.priority = priority;
        b.delay = delay;
        b.autoAck = autoAck;
        return b;
    }

    /** @return the job's name (its type), never blank */
    public String name() {
        return name;
    }

    /** @return the job's id; a generated version-4 UUID when the producer gave none */
    public String id() {
        return id;
    }

    /** @return a copy of the payload bytes, never {@code null} */
    public byte[] payload() {
        return payload.length == 0 ? EMPTY : payload.clone();
    }

    /** @return the payload length in bytes, without copying it */
    public int payloadSize() {
        return payload.length;
    }

    /** @return the headers, an unmodifiable map of unmodifiable lists */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * @param key a header name
     * @return the first value of the header, or {@code null}
     */
    public String header(String key) {
        List<String> values = headers.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @return the target pipeline's name, or {@code null} when it was not set */
    public String pipeline() {
        return pipeline;
    }

    /** @return the priority, lower first; {@code 0} means the pipeline's priority */
    public long priority() {
        return priority;
    }

    /** @return the delay in seconds before the job becomes available, {@code 0} for none */
    public int delay() {
        return delay;
    }

    /** @return {@code true} when the job is acknowledged as soon as it is taken, before it runs */
    public boolean autoAck() {
        return autoAck;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message)) {
            return false;
        }
        Message m = (Message) o;
        return priority == m.priority && delay == m.delay && autoAck == m.autoAck && name.equals(m.name)
                && id.equals(m.id) && Arrays.equals(payload, m.payload) && headers.equals(m.headers)
                && Objects.equals(pipeline, m.pipeline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, id, pipeline);
    }

    @Override
    public String toString() {
        return "Message[name=" + name + ", id=" + id + ", pipeline=" + pipeline + ", priority=" + priority
                + ", delay=" + delay + ", autoAck=" + autoAck + ", payload=" + payload.length + " bytes, headers="
                + headers + "]";
    }

    /** Builds a {@link Message}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private String id;
        private byte[] payload = EMPTY;
        private Map<String, List<String>> headers = Collections.emptyMap();
        private String pipeline;
        private long priority;
        private int delay;
        private boolean autoAck;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param id the job id; {@code null} for a generated UUID
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * @param payload the payload, copied; {@code null} for none
         * @return this builder
         */
        public Builder payload(byte[] payload) {
            this.payload = payload == null || payload.length == 0 ? EMPTY : payload.clone();
            return this;
        }

        /**
         * @param payload the payload as UTF-8 text; {@code null} for none
         * @return this builder
         */
        public Builder payload(String payload) {
            this.payload = payload == null || payload.isEmpty() ? EMPTY
                    : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /**
         * @param headers the headers, copied; {@code null} for none
         * @return this builder
         */
        public Builder headers(Map<String, List<String>> headers) {
            this.headers = copy(headers);
            return this;
        }

        /**
         * Sets one header, replacing its values.
         *
         * @param key    the header name
         * @param values its values
         * @return this builder
         */
        public Builder header(String key, String... values) {
            Map<String, List<String>> copy = new LinkedHashMap<>(headers);
            copy.put(Objects.requireNonNull(key, "header name"), List.of(values));
            this.headers = Collections.unmodifiableMap(copy);
            return this;
        }

        /**
         * @param pipeline the target pipeline
         * @return this builder
         */
        public Builder pipeline(String pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /**
         * @param priority lower comes first; {@code 0} inherits the pipeline's priority
         * @return this builder
         */
        public Builder priority(long priority) {
            this.priority = priority;
            return this;
        }

        /**
         * @param seconds delay before the job becomes available; {@code 0} for none
         * @return this builder
         */
        public Builder delay(int seconds) {
            this.delay = seconds;
            return this;
        }

        /**
         * @param autoAck acknowledge the job as soon as it is taken, before it runs
         * @return this builder
         */
        public Builder autoAck(boolean autoAck) {
            this.autoAck = autoAck;
            return this;
        }

        /**
         * @return the message
         * @throws JobsException when the name is blank, or the priority or delay negative
         */
        public Message build() {
            if (name == null || name.isBlank()) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, "job name must not be empty");
            }
            if (priority < 0) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, "job '" + name + "': priority must not be negative, got " + priority);
            }
            if (delay < 0) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, "job '" + name + "': delay must not be negative, got " + delay);
            }
            return new Message(this);
        }

        private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
            if (headers == null || headers.isEmpty()) {
                return Collections.emptyMap();
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "header name"),
                    v == null ? List.of() : List.copyOf(v)));
            return Collections.unmodifiableMap(copy);
        }
    }
}
