package org.osgijobs.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix's own logger, handed to the framework as {@code felix.log.logger}: Felix calls
 * {@link #log(int, String, Throwable)} reflectively, and the message goes to the same log as everything else.
 */
public final class FrameworkLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");
    /** Felix's levels: 1 error, 2 warning, 3 info, 4 debug. */
    private static final int ERROR = 1;
    private static final int WARNING = 2;
    private static final int INFO = 3;

    /** Called by Felix. */
    public void log(int level, String message, Throwable error) {
        if (level <= ERROR) {
            LOG.error(message, error);
        } else if (level == WARNING) {
            LOG.warn(message, error);
        } else if (level == INFO) {
            LOG.info(message, error);
        } else {
            LOG.debug(message, error);
        }
    }
}
