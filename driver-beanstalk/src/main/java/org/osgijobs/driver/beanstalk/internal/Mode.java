package org.osgijobs.driver.beanstalk.internal;

import org.osgijobs.api.JobsException;

/**
 * What a beanstalk pipeline's consumer does, and the transitions allowed between: built (connected, not reserving
 * yet), consuming, paused, stopped (for good). Consuming is what the runtime asked for; whether jobs are reserved
 * right now also depends on the connection, and resumes whenever it comes back.
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
