package org.osgijobs.api.driver;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.Message;

/**
 * A job handed to the runtime by a driver. Exactly one of {@link #ack()}, {@link #nack()},
 * {@link #nack(boolean, int)} or {@link #requeue(Map, int)} is called for each job, from a worker thread.
 */
@ConsumerType
public interface Job extends Item {

    /** @return the job's name (its type) */
    String name();

    /** @return the payload */
    byte[] body();

    /** @return the headers */
    Map<String, List<String>> headers();

    /** @return {@code true} when the job is acknowledged as soon as a worker takes it */
    boolean autoAck();

    /**
     * Tells the driver that a worker took the job from the {@link Queue}: it is no longer waiting but running.
     * The runtime calls it once per job, first thing after taking it; drivers that tell waiting jobs from running
     * ones in their {@link org.osgijobs.api.State} count it here. Must not block.
     */
    default void taken() {
    }

    /** @return the job as a message: what the producer pushed, with the job's current headers */
    Message context();

    /** Acknowledges the job: it is done and forgotten. */
    void ack();

    /** Rejects the job without requeue. */
    void nack();

    /**
     * Rejects the job.
     *
     * @param requeue {@code true} to put it back
     * @param delay   seconds before it is available again, when requeued
     */
    void nack(boolean requeue, int delay);

    /**
     * Puts the job back with changed headers, available again after a delay, and acknowledges this delivery.
     *
     * @param headers the job's new headers (replacing the old ones)
     * @param delay   seconds before it is available again
     * @throws IllegalStateException when the driver is stopped: the runtime then keeps the job itself
     * @throws org.osgijobs.api.JobsException when the job could not be stored again
     */
    void requeue(Map<String, List<String>> headers, int delay);
}
