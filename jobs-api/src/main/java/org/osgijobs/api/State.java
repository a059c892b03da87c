package org.osgijobs.api;

import java.util.Objects;

/**
 * A snapshot of one pipeline, as RoadRunner's Jobs plugin reports it. An immutable value: build one with
 * {@link #builder(String)}; fields may be added in minor versions (with a default in the builder), so code that
 * reads a snapshot keeps working.
 */
public final class State {
    private final String pipeline;
    private final String driver;
    private final String queue;
    private final long active;
    private final long delayed;
    private final long reserved;
    private final boolean ready;
    private final long priority;
    private final String errorMessage;

    /**
     * @param pipeline     the pipeline's name
     * @param driver       the driver's name
     * @param queue        the driver's queue, or the pipeline name where the driver has none
     * @param active       jobs waiting to be taken
     * @param delayed      jobs waiting for their delay to pass
     * @param reserved     jobs taken and not yet acknowledged
     * @param ready        {@code true} while the pipeline is consuming
     * @param priority     the pipeline's priority
     * @param errorMessage why the pipeline is not working, or empty ({@code null} is read as empty)
     */
    public State(String pipeline, String driver, String queue, long active, long delayed, long reserved,
            boolean ready, long priority, String errorMessage) {
        this.pipeline = pipeline;
        this.driver = driver;
        this.queue = queue;
        this.active = active;
        this.delayed = delayed;
        this.reserved = reserved;
        this.ready = ready;
        this.priority = priority;
        this.errorMessage = errorMessage == null ? "" : errorMessage;
    }

    /**
     * @param pipeline the pipeline's name
     * @return a builder with zero counts, not ready, no error
     */
    public static Builder builder(String pipeline) {
        return new Builder(pipeline);
    }

    /** @return a builder holding this snapshot's values, for a changed copy */
    public Builder toBuilder() {
        return new Builder(pipeline).driver(driver).queue(queue).active(active).delayed(delayed).reserved(reserved)
                .ready(ready).priority(priority).errorMessage(errorMessage);
    }

    /** @return the pipeline's name */
    public String pipeline() {
        return pipeline;
    }

    /** @return the driver's name ({@code memory}, {@code amqp}, ...) */
    public String driver() {
        return driver;
    }

    /** @return the driver's queue (broker queue name), or the pipeline name where the driver has none */
    public String queue() {
        return queue;
    }

    /** @return jobs waiting to be taken (for a broker: messages ready in its queue) */
    public long active() {
        return active;
    }

    /** @return jobs waiting for their delay to pass */
    public long delayed() {
        return delayed;
    }

    /** @return jobs taken and not yet acknowledged */
    public long reserved() {
        return reserved;
    }

    /** @return {@code true} while the pipeline is consuming */
    public boolean ready() {
        return ready;
    }

    /** @return the pipeline's priority */
    public long priority() {
        return priority;
    }

    /** @return why the pipeline is not working (driver unavailable, bad option, unreachable broker), or empty */
    public String errorMessage() {
        return errorMessage;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof State)) {
            return false;
        }
        State s = (State) o;
        return active == s.active && delayed == s.delayed && reserved == s.reserved && ready == s.ready
                && priority == s.priority && Objects.equals(pipeline, s.pipeline) && Objects.equals(driver, s.driver)
                && Objects.equals(queue, s.queue) && errorMessage.equals(s.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, driver, queue, active, delayed, reserved, ready, priority, errorMessage);
    }

    @Override
    public String toString() {
        return "State[pipeline=" + pipeline + ", driver=" + driver + ", queue=" + queue + ", active=" + active
                + ", delayed=" + delayed + ", reserved=" + reserved + ", ready=" + ready + ", priority=" + priority
                + ", errorMessage=" + errorMessage + "]";
    }

    /** Builds a {@link State}. */
    public static final class Builder {
        private final String pipeline;
        private String driver;
        private String queue;
        private long active;
        private long delayed;
        private long reserved;
        private boolean ready;
        private long priority;
        private String errorMessage = "";

        private Builder(String pipeline) {
            this.pipeline = pipeline;
            this.queue = pipeline;
        }

        /** @param value the driver's name @return this */
        public Builder driver(String value) {
            driver = value;
            return this;
        }

        /** @param value the driver's queue (default: the pipeline's name) @return this */
        public Builder queue(String value) {
            queue = value;
            return this;
        }

        /** @param value jobs waiting to be taken @return this */
        public Builder active(long value) {
            active = value;
            return this;
        }

        /** @param value jobs waiting for their delay @return this */
        public Builder delayed(long value) {
            delayed = value;
            return this;
        }

        /** @param value jobs taken and not yet acknowledged @return this */
        public Builder reserved(long value) {
            reserved = value;
            return this;
        }

        /** @param value whether the pipeline consumes @return this */
        public Builder ready(boolean value) {
            ready = value;
            return this;
        }

        /** @param value the pipeline's priority @return this */
        public Builder priority(long value) {
            priority = value;
            return this;
        }

        /** @param value why the pipeline is not working, or empty @return this */
        public Builder errorMessage(String value) {
            errorMessage = value;
            return this;
        }

        /** @return the snapshot */
        public State build() {
            return new State(pipeline, driver, queue, active, delayed, reserved, ready, priority, errorMessage);
        }
    }
}
