package org.osgijobs.api;

/**
 * The outcome of one message of {@link Jobs#pushBatch(java.util.List)}.
 *
 * @param id    the message's id
 * @param error {@code null} when the message was accepted, otherwise why it was not
 */
public record PushResult(String id, JobsException error) {

    /** @return {@code true} when the message was accepted */
    public boolean ok() {
        return error == null;
    }
}
