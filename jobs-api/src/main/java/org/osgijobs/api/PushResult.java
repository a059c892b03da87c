package org.osgijobs.api;

import java.util.Objects;

/** The outcome of one message of {@link JobProducer#pushBatch(java.util.List)}: an immutable value. */
public final class PushResult {
    private final String id;
    private final JobsException error;

    private PushResult(String id, JobsException error) {
        this.id = id;
        this.error = error;
    }

    /**
     * @param id the message's id
     * @return the result of an accepted message
     */
    public static PushResult accepted(String id) {
        return new PushResult(id, null);
    }

    /**
     * @param id    the message's id, or {@code null} when there was no message
     * @param error why it was not accepted
     * @return the result of a refused message
     */
    public static PushResult failed(String id, JobsException error) {
        return new PushResult(id, Objects.requireNonNull(error, "error"));
    }

    /** @return the message's id */
    public String id() {
        return id;
    }

    /** @return {@code null} when the message was accepted, otherwise why it was not */
    public JobsException error() {
        return error;
    }

    /** @return {@code true} when the message was accepted */
    public boolean ok() {
        return error == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PushResult && Objects.equals(id, ((PushResult) o).id)
                && Objects.equals(error, ((PushResult) o).error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, error);
    }

    @Override
    public String toString() {
        return ok() ? "PushResult[" + id + " accepted]" : "PushResult[" + id + " failed: " + error.getMessage() + "]";
    }
}
