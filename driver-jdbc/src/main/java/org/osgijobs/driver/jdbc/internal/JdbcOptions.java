package org.osgijobs.driver.jdbc.internal;

import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one jdbc pipeline, read and checked once when its driver is built.
 *
 * @param priority           the pipeline's priority, for jobs pushed with priority 0
 * @param prefetch           most jobs this runtime holds leased for the pipeline (queued, running, or settled and not
 *                           yet written): also the most jobs that run again after this runtime dies
 * @param pollIntervalMillis how often the table is asked for ready jobs when the last claim was not full
 * @param leaseSeconds       how long a claim holds a job; renewed while it runs, taken over by any runtime after it
 *                           expired
 * @param timeoutSeconds     how long a push may take before it fails
 */
record JdbcOptions(long priority, int prefetch, long pollIntervalMillis, int leaseSeconds, int timeoutSeconds) {
    static final String PREFETCH = "prefetch";
    static final String POLL_INTERVAL = "poll_interval";
    static final String LEASE = "lease";
    static final int DEFAULT_PREFETCH = 100;
    static final double DEFAULT_POLL_INTERVAL = 1;
    static final int DEFAULT_LEASE = 60;

    static JdbcOptions of(Pipeline pipeline) {
        int prefetch = pipeline.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetch < 1 || prefetch > 10_000) {
            throw pipeline.bad(PREFETCH, String.valueOf(prefetch), "an integer from 1 to 10000");
        }
        double poll = pipeline.getDouble(POLL_INTERVAL, DEFAULT_POLL_INTERVAL);
        if (poll < 0.01 || poll > 3600) {
            throw pipeline.bad(POLL_INTERVAL, pipeline.getString(POLL_INTERVAL, ""), "seconds from 0.01 to 3600");
        }
        int lease = pipeline.getInt(LEASE, DEFAULT_LEASE);
        if (lease < 2 || lease > 86_400) {
            throw pipeline.bad(LEASE, String.valueOf(lease), "seconds from 2 to 86400");
        }
        int timeout = pipeline.getInt("timeout", 60);
        if (timeout < 1) {
            throw pipeline.bad("timeout", String.valueOf(timeout), "at least 1 second");
        }
        return new JdbcOptions(pipeline.priority(), prefetch, Math.round(poll * 1000), lease, timeout);
    }

    /** @return how often the leases of running jobs are renewed: a third of the lease */
    long renewEveryMillis() {
        return leaseSeconds * 1000L / 3;
    }
}
