package org.osgijobs.api.driver;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.Message;

/**
 * A job handed to the runtime by a driver. A worker takes it from the {@link Queue}, calls {@link #taken()}, runs
 * it, and settles it with exactly one call to {@link #settle(Settlement)}, whose answer says who keeps the job from
 * then on. No exception is part of that exchange: a driver answers with a {@link Custody}.
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

    /**
     * Settles the job: acknowledges it, rejects it, or stores it again with new headers after a delay. Called once
     * per job from a runtime thread, possibly after the driver stopped (a run that overran the stop's deadline).
     * Only the first call counts; later ones do nothing and answer {@link Custody#DONE}.
     * <p>
     * Settling is synchronous, so that the outcome is known before the worker takes its next job: a broker driver
     * may wait (up to the pipeline's timeout) for the broker to confirm a requeued copy. It must never block on the
     * runtime's queue (use {@link Queue#offer(Job)}). A requeued job goes behind the jobs of its priority that are
     * ready by then, never in front of them, whatever its delay.
     *
     * @param settlement what the runtime decided
     * @return who keeps the job now; {@link Custody#RUNTIME} makes the runtime keep a copy for the next driver
     */
    Custody settle(Settlement settlement);
}
