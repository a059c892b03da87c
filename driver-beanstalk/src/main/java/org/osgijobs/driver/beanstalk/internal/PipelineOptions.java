package org.osgijobs.driver.beanstalk.internal;

import java.util.regex.Pattern;

import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one beanstalk pipeline, with RoadRunner's names and defaults, parsed and checked once when the
 * driver is built. Immutable.
 */
final class PipelineOptions {
    static final String TUBE = "tube";
    static final String TUBE_PRIORITY = "tube_priority";
    static final String RESERVE_TIMEOUT = "reserve_timeout";
    /** Accepted by RoadRunner's schema and unused by its driver; here the most jobs one runtime holds reserved. */
    static final String PREFETCH = "prefetch";
    static final String TIMEOUT = "timeout";
    /** Not RoadRunner's: connections reserving for this pipeline in one runtime, each with its own thread. */
    static final String RESERVE_CONNECTIONS = "reserve_connections";
    static final int DEFAULT_RESERVE_CONNECTIONS = 1;
    static final int MAX_RESERVE_CONNECTIONS = 64;

    static final String DEFAULT_TUBE = "default";
    static final long DEFAULT_TUBE_PRIORITY = 1;
    static final int DEFAULT_RESERVE_TIMEOUT = 5;
    static final int DEFAULT_PREFETCH = 10;
    static final int DEFAULT_TIMEOUT = 60;
    /** beanstalkd's tube names: up to 200 bytes of letters, digits and {@code -+/;.$_()}, not starting with '-'. */
    private static final Pattern TUBE_NAME = Pattern.compile("[A-Za-z0-9+/;.$_()][A-Za-z0-9+/;.$_()\\-]{0,199}");

    final String pipeline;
    final long priority;
    final String tube;
    final long tubePriority;
    final int reserveTimeoutSeconds;
    final int prefetch;
    final int timeoutSeconds;
    final int reserveConnections;

    private PipelineOptions(Pipeline p) {
        pipeline = p.name();
        priority = p.priority();
        tube = p.getString(TUBE, DEFAULT_TUBE);
        if (!TUBE_NAME.matcher(tube).matches()) {
            throw p.bad(TUBE, tube, "a beanstalkd tube name (up to 200 letters, digits and -+/;.$_() not starting"
                    + " with '-')");
        }
        tubePriority = p.getLong(TUBE_PRIORITY, DEFAULT_TUBE_PRIORITY);
        if (tubePriority < 0 || tubePriority > 4_294_967_295L) {
            throw p.bad(TUBE_PRIORITY, String.valueOf(tubePriority), "a beanstalkd priority from 0 to 4294967295");
        }
        reserveTimeoutSeconds = seconds(p, RESERVE_TIMEOUT, DEFAULT_RESERVE_TIMEOUT, 0);
        prefetch = p.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetch < 1) {
            throw p.bad(PREFETCH, String.valueOf(prefetch), "a number above 0");
        }
        timeoutSeconds = seconds(p, TIMEOUT, DEFAULT_TIMEOUT, 1);
        reserveConnections = p.getInt(RESERVE_CONNECTIONS, DEFAULT_RESERVE_CONNECTIONS);
        if (reserveConnections < 1 || reserveConnections > MAX_RESERVE_CONNECTIONS) {
            throw p.bad(RESERVE_CONNECTIONS, String.valueOf(reserveConnections), "a number from 1 to "
                    + MAX_RESERVE_CONNECTIONS);
        }
        if (prefetch < reserveConnections) {
            throw p.bad(PREFETCH, String.valueOf(prefetch), "at least '" + RESERVE_CONNECTIONS + "' ("
                    + reserveConnections + "): each reserving connection holds at least one job");
        }
    }

    /**
     * @param p the pipeline
     * @return its options
     * @throws org.osgijobs.api.JobsException naming the option and the value when one is malformed
     */
    static PipelineOptions of(Pipeline p) {
        return new PipelineOptions(p);
    }

    private static int seconds(Pipeline p, String key, int defaultValue, int min) {
        String text = p.getString(key, null);
        if (text == null) {
            return defaultValue;
        }
        long s = Durations.seconds(text);
        if (s < min || s > Integer.MAX_VALUE) {
            throw p.bad(key, text, "a number of seconds not below " + min + " (5, 5s, 1m)");
        }
        return (int) s;
    }
}
