package org.osgijobs.driver.nats.internal;

import org.osgijobs.api.JobsException;

/**
 * What a NATS driver does with its pipeline's consumer, and the transitions allowed between: built (not consuming
 * yet), consuming, paused, stopped (for good). Consuming is what the runtime asked for; whether the subscription is
 * there right now also depends on the connection, and is restored whenever it comes back.
 */
enum Mode {
    BUILT, CONSUMING, PAUSED, STOPPED;

    /** @return the mode after {@code run} or {@code resume} */
    Mode consume(String pipeline, String operation) {
        if (this == STOPPED) {
            throw new JobsException("pipeline '" + pipeline + "' is stopped: cannot " + operation);
        }
        return CONSUMING;
    }

    /** @return the mode after {@code pause} */
    Mode pause() {
        return this == STOPPED ? STOPPED : this == CONSUMING ? PAUSED : this;
    }

    /** @return the mode after {@code stop} */
    Mode stop() {
        return STOPPED;
    }
}
