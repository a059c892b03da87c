package org.osgijobs.logbridge.internal;

import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

/**
 * Where one OSGi log entry goes in SLF4J: the logger (the logging bundle's symbolic name) and the level.
 *
 * @param loggerName the SLF4J logger's name
 * @param level      the SLF4J level
 */
record Route(String loggerName, Level level) {

    /** SLF4J's levels. */
    enum Level {
        ERROR, WARN, INFO, DEBUG, TRACE
    }

    /** The prefix of the loggers the log service writes the framework's own events to. */
    static final String EVENTS = "Events.";

    /**
     * @param entry  the entry
     * @param events {@code true} to forward framework events below WARN as well
     * @return the route, or empty for an event entry that is not wanted
     */
    static Optional<Route> of(LogEntry entry, boolean events) {
        Level level = levelOf(entry);
        String loggerName = entry.getLoggerName() == null ? "" : entry.getLoggerName();
        if (loggerName.startsWith(EVENTS) && !events && level.compareTo(Level.WARN) > 0) {
            return Optional.empty();
        }
        Bundle bundle = entry.getBundle();
        String name = bundle == null || bundle.getSymbolicName() == null ? "osgi" : bundle.getSymbolicName();
        return Optional.of(new Route(name, level));
    }

    private static Level levelOf(LogEntry entry) {
        switch (entry.getLogLevel()) {
        case AUDIT:
            return Level.INFO;
        case ERROR:
            return Level.ERROR;
        case WARN:
            return Level.WARN;
        case INFO:
            return Level.INFO;
        case DEBUG:
            return Level.DEBUG;
        default:
            return Level.TRACE;
        }
    }
}
