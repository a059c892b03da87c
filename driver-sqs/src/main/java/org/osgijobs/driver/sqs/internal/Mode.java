package org.osgijobs.driver.sqs.internal;

import org.osgijobs.api.JobsException;

/**
 * What an SQS driver does with its pipeline's queue, and the transitions allowed between: built (not consuming yet),
 * consuming, paused, stopped (for good).
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
        return this == CONSUMING ? PAUSED : this;
    }

    /** @return the mode after {@code stop} */
    Mode stop() {
        return STOPPED;
    }
}
