package org.osgijobs.api;

import java.util.Objects;

/**
 * Counters of one pipeline since it was created in this runtime. An immutable value: fields may be added in minor
 * versions, so code that reads a snapshot keeps working; the runtime builds it with {@link #builder(String)}.
 */
public final class PipelineStats {
    private final String pipeline;
    private final long pushed;
    private final long pushErrors;
    private final long processed;
    private final long failed;
    private final long timedOut;
    private final long requeued;
    private final long deadLettered;
    private final long noHandler;
    private final long abandoned;
    private final long inFlight;
    private final long queued;
    private final long delayed;
    private final long meanRunMicros;

    private PipelineStats(Builder b) {
        this.pipeline = b.pipeline;
        this.pushed = b.pushed;
        this.pushErrors = b.pushErrors;
        this.processed = b.processed;
        this.failed = b.failed;
        this.timedOut = b.timedOut;
        this.requeued = b.requeued;
        this.deadLettered = b.deadLettered;
        this.noHandler = b.noHandler;
        this.abandoned = b.abandoned;
        this.inFlight = b.inFlight;
        this.queued = b.queued;
        this.delayed = b.delayed;
        this.meanRunMicros = b.meanRunMicros;
    }

    /**
     * @param pipeline the pipeline's name
     * @return a builder with every counter at zero
     */
    public static Builder builder(String pipeline) {
        return new Builder(pipeline);
    }

    /** @return the pipeline's name */
    public String pipeline() {
        return pipeline;
    }

    /** @return messages accepted by push */
    public long pushed() {
        return pushed;
    }

    /** @return pushes that failed */
    public long pushErrors() {
        return pushErrors;
    }

    /** @return jobs whose handler returned normally */
    public long processed() {
        return processed;
    }

    /** @return handler failures (exceptions and timeouts) */
    public long failed() {
        return failed;
    }

    /** @return handler runs cancelled by {@code job_timeout} */
    public long timedOut() {
        return timedOut;
    }

    /** @return jobs put back for a later attempt (retries, handler requeues, missing handlers) */
    public long requeued() {
        return requeued;
    }

    /** @return jobs moved to the dead-letter pipeline after their last attempt */
    public long deadLettered() {
        return deadLettered;
    }

    /** @return jobs that found no handler for their name and were requeued */
    public long noHandler() {
        return noHandler;
    }

    /** @return runs that ignored cancellation past {@code job_timeout}: their stuck worker threads were replaced */
    public long abandoned() {
        return abandoned;
    }

    /** @return jobs running in a handler now */
    public long inFlight() {
        return inFlight;
    }

    /** @return jobs waiting in the runtime and the driver now */
    public long queued() {
        return queued;
    }

    /** @return jobs waiting for their delay now */
    public long delayed() {
        return delayed;
    }

    /** @return mean handler run time, in microseconds */
    public long meanRunMicros() {
        return meanRunMicros;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PipelineStats)) {
            return false;
        }
        PipelineStats s = (PipelineStats) o;
        return Objects.equals(pipeline, s.pipeline)
                && pushed == s.pushed
                && pushErrors == s.pushErrors
                && processed == s.processed
                && failed == s.failed
                && timedOut == s.timedOut
                && requeued == s.requeued
                && deadLettered == s.deadLettered
                && noHandler == s.noHandler
                && abandoned == s.abandoned
                && inFlight == s.inFlight
                && queued == s.queued
                && delayed == s.delayed
                && meanRunMicros == s.meanRunMicros;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, pushed,
                pushErrors, processed, failed, timedOut, requeued, deadLettered, noHandler, abandoned, inFlight, queued,
                delayed, meanRunMicros);
    }

    @Override
    public String toString() {
        return "PipelineStats[pipeline=" + pipeline
                + ", pushed=" + pushed
                + ", pushErrors=" + pushErrors
                + ", processed=" + processed
                + ", failed=" + failed
                + ", timedOut=" + timedOut
                + ", requeued=" + requeued
                + ", deadLettered=" + deadLettered
                + ", noHandler=" + noHandler
                + ", abandoned=" + abandoned
                + ", inFlight=" + inFlight
                + ", queued=" + queued
                + ", delayed=" + delayed
                + ", meanRunMicros=" + meanRunMicros + "]";
    }

    /** Builds a {@link PipelineStats}. */
    public static final class Builder {
        private final String pipeline;
        private long pushed;
        private long pushErrors;
        private long processed;
        private long failed;
        private long timedOut;
        private long requeued;
        private long deadLettered;
        private long noHandler;
        private long abandoned;
        private long inFlight;
        private long queued;
        private long delayed;
        private long meanRunMicros;

        private Builder(String pipeline) {
            this.pipeline = pipeline;
        }

        /** @param value messages accepted by push @return this */
        public Builder pushed(long value) {
            pushed = value;
            return this;
        }

        /** @param value pushes that failed @return this */
        public Builder pushErrors(long value) {
            pushErrors = value;
            return this;
        }

        /** @param value jobs whose handler returned normally @return this */
        public Builder processed(long value) {
            processed = value;
            return this;
        }

        /** @param value handler failures (exceptions and timeouts) @return this */
        public Builder failed(long value) {
            failed = value;
            return this;
        }

        /** @param value handler runs cancelled by {@code job_timeout} @return this */
        public Builder timedOut(long value) {
            timedOut = value;
            return this;
        }

        /** @param value jobs put back for a later attempt (retries, handler requeues, missing handlers) @return this */
        public Builder requeued(long value) {
            requeued = value;
            return this;
        }

        /** @param value jobs moved to the dead-letter pipeline after their last attempt @return this */
        public Builder deadLettered(long value) {
            deadLettered = value;
            return this;
        }

        /** @param value jobs that found no handler for their name and were requeued @return this */
        public Builder noHandler(long value) {
            noHandler = value;
            return this;
        }

        /** @param value runs that ignored cancellation past {@code job_timeout}: their stuck worker threads were replaced @return this */
        public Builder abandoned(long value) {
            abandoned = value;
            return this;
        }

        /** @param value jobs running in a handler now @return this */
        public Builder inFlight(long value) {
            inFlight = value;
            return this;
        }

        /** @param value jobs waiting in the runtime and the driver now @return this */
        public Builder queued(long value) {
            queued = value;
            return this;
        }

        /** @param value jobs waiting for their delay now @return this */
        public Builder delayed(long value) {
            delayed = value;
            return this;
        }

        /** @param value mean handler run time, in microseconds @return this */
        public Builder meanRunMicros(long value) {
            meanRunMicros = value;
            return this;
        }

        /** @return the snapshot */
        public PipelineStats build() {
            return new PipelineStats(this);
        }
    }
}
