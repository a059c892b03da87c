package org.osgijobs.api;

import java.util.Objects;

/**
 * The error every operation of the job runtime reports: its message names what was wrong (the pipeline, the
 * option, the driver) so that a user can act on it without reading a stack trace, and its {@link #kind()} tells a
 * program what to do about it.
 */
public class JobsException extends RuntimeException {
    private static final long serialVersionUID = 2L;

    /** What kind of failure this is, from the caller's point of view. New kinds may be added in minor versions. */
    public enum Kind {
        /** The input is wrong (a malformed option, a missing name, an oversized payload): do not retry as is. */
        BAD_INPUT,
        /** No pipeline has the given name. */
        UNKNOWN_PIPELINE,
        /**
         * The pipeline cannot take the job now (its driver is away or swapping, its broker unreachable, it is full):
         * nothing was stored; retry later.
         */
        UNAVAILABLE,
        /** The driver or the runtime refused the operation (a broker nack, a refused queue): nothing was stored. */
        REJECTED,
        /** No answer came in time: the job may or may not have been stored (a retry may duplicate it). */
        OUTCOME_UNKNOWN
    }

    private final Kind kind;

    /**
     * A failure of kind {@link Kind#REJECTED}.
     *
     * @param message what went wrong, naming the offending input
     */
    public JobsException(String message) {
        this(Kind.REJECTED, message, null);
    }

    /**
     * A failure of kind {@link Kind#REJECTED}.
     *
     * @param message what went wrong, naming the offending input
     * @param cause   the underlying failure
     */
    public JobsException(String message, Throwable cause) {
        this(Kind.REJECTED, message, cause);
    }

    /**
     * @param kind    what kind of failure it is
     * @param message what went wrong, naming the offending input
     */
    public JobsException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * @param kind    what kind of failure it is
     * @param message what went wrong, naming the offending input
     * @param cause   the underlying failure, or {@code null}
     */
    public JobsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return what kind of failure this is */
    public Kind kind() {
        return kind;
    }
}
