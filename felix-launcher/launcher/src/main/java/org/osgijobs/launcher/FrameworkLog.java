package org.osgijobs.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix's own logger, handed to the framework as {@code felix.log.logger} (Felix wants a subclass of its
 * logger there): the framework's messages go to the same log as everything else instead of standard output.
 */
final class FrameworkLog extends org.apache.felix.framework.Logger {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(int level, String message, Throwable error) {
        switch (level) {
        case LOG_ERROR:
            LOG.error(message, error);
            break;
        case LOG_WARNING:
            LOG.warn(message, error);
            break;
        case LOG_INFO:
            LOG.info(message, error);
            break;
        default:
            LOG.debug(message, error);
        }
    }
}
