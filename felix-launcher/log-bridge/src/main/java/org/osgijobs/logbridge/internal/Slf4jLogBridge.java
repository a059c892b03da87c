package org.osgijobs.logbridge.internal;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every OSGi log entry (SCR, ConfigAdmin, FileInstall, the framework's events) to the SLF4J logger named
 * after the bundle that logged it, so that they land in the same console and file as the runtime's own lines.
 * The log service delivers entries to listeners on its own thread, never inside the caller's locks.
 */
@Component(immediate = true, configurationPid = Slf4jLogBridge.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = Slf4jLogBridge.Config.class)
public final class Slf4jLogBridge implements LogListener {
    static final String PID = "jobs.log";

    /** Configuration of the bridge. */
    @ObjectClassDefinition(name = "Jobs: OSGi log to SLF4J")
    public @interface Config {
        @AttributeDefinition(description = "Also forward the framework's bundle, service and framework events "
                + "at INFO and DEBUG (warnings and errors always go through)")
        boolean events() default false;
    }

    private final LogReaderService reader;
    private final Consumer<LogEntry> sink;
    private final Object replay = new Object();
    /** The sequence number of the last entry taken from the history; later ones come from the listener. */
    private long replayedUpTo = -1;
    private volatile Config config;

    @Activate
    public Slf4jLogBridge(@Reference LogReaderService reader, Config config) {
        this(reader, config, null);
    }

    Slf4jLogBridge(LogReaderService reader, Config config, Consumer<LogEntry> sink) {
        this.reader = reader;
        this.config = config;
        this.sink = sink != null ? sink : this::write;
        // Entries logged before this component started (FileInstall, ConfigAdmin and SCR log early) are in the
        // service's history: forward them first, oldest first, then the listener's, without repeating one.
        synchronized (replay) {
            reader.addLogListener(this);
            List<LogEntry> history = Collections.list(reader.getLog());
            Collections.reverse(history);
            for (LogEntry entry : history) {
                this.sink.accept(entry);
                replayedUpTo = Math.max(replayedUpTo, entry.getSequence());
            }
        }
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (replay) {
            if (entry.getSequence() <= replayedUpTo) {
                return;
            }
        }
        sink.accept(entry);
    }

    private void write(LogEntry entry) {
        Route.of(entry, config.events()).ifPresent(route -> {
            Logger logger = LoggerFactory.getLogger(route.loggerName());
            Optional<String> plain = OrdinaryFailure.of(route.loggerName(), entry.getMessage(), entry.getException());
            if (plain.isPresent()) {
                // bad input, not a bug: one line naming the cause; the trace for whoever looks at DEBUG
                write(logger, route.level(), plain.get(), null);
                logger.debug("the failure behind '{}'", entry.getMessage(), entry.getException());
            } else {
                write(logger, route.level(), entry.getMessage(), entry.getException());
            }
        });
    }

    private static void write(Logger logger, Route.Level level, String message, Throwable error) {
        switch (level) {
        case ERROR:
            logger.error(message, error);
            break;
        case WARN:
            logger.warn(message, error);
            break;
        case INFO:
            logger.info(message, error);
            break;
        case DEBUG:
            logger.debug(message, error);
            break;
        default:
            logger.trace(message, error);
        }
    }
}
