package org.osgijobs.core.internal;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a pipeline is in its lifecycle. Whether a running pipeline consumes or is paused is the operator's
 * intent, kept beside the phase (it survives a driver swap and a configuration edit).
 * <pre>
 *   INVALID ---------------(valid options)--------------&gt; WAITING_FOR_DRIVER
 *   WAITING_FOR_DRIVER --(a driver is there)-----------&gt; STARTING
 *   STARTING --(driver built, held jobs restored)--------&gt; RUNNING
 *   STARTING --(driver gone / refused the options)-------&gt; WAITING_FOR_DRIVER / INVALID
 *   RUNNING --(driver leaves, edit, destroy, stop)--------&gt; STOPPING
 *   STOPPING --(running jobs done or deadline, driver stopped)-&gt; WAITING_FOR_DRIVER / DESTROYED
 *   any but DESTROYED --(destroy)------------------------&gt; DESTROYED
 * </pre>
 */
enum PipelinePhase {
    /** Its options are malformed: it never gets a driver until they are fixed. */
    INVALID,
    /** No driver of its kind is registered (or one left): pushes wait a little, then fail naming the driver. */
    WAITING_FOR_DRIVER,
    /** A driver is being built and the jobs held meanwhile are pushed into it; pushes wait. */
    STARTING,
    /** Its driver serves it: consuming or paused, as the operator wants. */
    RUNNING,
    /** Intake has stopped, running jobs get the rest of the deadline, then the driver stops. */
    STOPPING,
    /** Gone for good. */
    DESTROYED;

    private Set<PipelinePhase> next;

    static {
        INVALID.next = EnumSet.of(WAITING_FOR_DRIVER, INVALID, DESTROYED);
        WAITING_FOR_DRIVER.next = EnumSet.of(STARTING, INVALID, WAITING_FOR_DRIVER, DESTROYED);
        STARTING.next = EnumSet.of(RUNNING, WAITING_FOR_DRIVER, INVALID, DESTROYED);
        RUNNING.next = EnumSet.of(STOPPING);
        STOPPING.next = EnumSet.of(WAITING_FOR_DRIVER, DESTROYED);
        DESTROYED.next = EnumSet.noneOf(PipelinePhase.class);
    }

    /** @throws IllegalStateException when the transition is not one of those drawn above */
    PipelinePhase checkMoveTo(PipelinePhase target, String pipeline) {
        if (!next.contains(target)) {
            throw new IllegalStateException("pipeline '" + pipeline + "': no transition from " + this + " to "
                    + target);
        }
        return target;
    }

    /** @return {@code true} while a driver is being swapped in or out: pushes wait for the next one */
    boolean swapping() {
        return this == STARTING || this == STOPPING;
    }
}
