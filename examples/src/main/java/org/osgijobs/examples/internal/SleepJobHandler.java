package org.osgijobs.examples.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles jobs named {@code sleep}: waits for the number of milliseconds given as the payload (or the configured
 * default when the payload is empty), as a stand-in for slow work. It stops early when the runtime cancels it.
 */
@Component(service = JobHandler.class, property = JobHandler.JOB_NAME + "=sleep",
        configurationPid = SleepJobHandler.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SleepJobHandler.Config.class)
public final class SleepJobHandler implements JobHandler {
    static final String PID = "jobs.examples.sleep";
    private static final Logger LOG = LoggerFactory.getLogger(SleepJobHandler.class);

    /** Configuration of the {@code sleep} example handler. */
    @ObjectClassDefinition(name = "Jobs example: sleep handler", description = "Jobs named 'sleep' wait this long.")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds to sleep when the payload is empty")
        long default_millis() default 1000;

        @AttributeDefinition(description = "Longest sleep accepted from a payload, in milliseconds")
        long max_millis() default 600_000;
    }

    /** Waits; a seam so that tests check what is asked for without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private volatile Config config;

    /** The component's constructor: really sleeps. */
    public SleepJobHandler() {
        this(Thread::sleep);
    }

    SleepJobHandler(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Activate
    @Modified
    void configure(Config newConfig) {
        if (newConfig.default_millis() < 0 || newConfig.max_millis() < 0) {
            throw new IllegalArgumentException(PID + ": default_millis and max_millis must not be negative, got "
                    + newConfig.default_millis() + " and " + newConfig.max_millis());
        }
        this.config = newConfig;
    }

    @Override
    public void handle(JobContext job) throws InterruptedException {
        long millis = millisOf(job.payloadAsString().trim(), config);
        LOG.info("job sleep id={} attempt={}: sleeping {} ms", job.id(), job.attempt(), millis);
        sleeper.sleep(millis);
        LOG.info("job sleep id={}: woke up after {} ms", job.id(), millis);
    }

    static long millisOf(String payload, Config config) {
        if (payload.isEmpty()) {
            return config.default_millis();
        }
        long millis;
        try {
            millis = Long.parseLong(payload);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sleep job: payload must be a number of milliseconds, got '"
                    + JobDescription.shorten(payload) + "'");
        }
        if (millis < 0 || millis > config.max_millis()) {
            throw new IllegalArgumentException("sleep job: payload must be between 0 and " + config.max_millis()
                    + " milliseconds, got " + millis);
        }
        return millis;
    }
}
