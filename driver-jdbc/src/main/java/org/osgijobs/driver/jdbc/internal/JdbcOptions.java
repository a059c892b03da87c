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
 * @param keepDoneSeconds    how long an acknowledged job is kept in the done table before it is purged; 0: not kept
 */
record JdbcOptions(long priority, int prefetch, long pollIntervalMillis, int leaseSeconds, int timeoutSeconds,
        int keepDoneSeconds) {
    static final String PREFETCH = "prefetch";
    static final String POLL_INTERVAL = "poll_interval";
    static final String LEASE = "lease";
    static final String KEEP_DONE = "keep_done";
    /** A year: a longer time is more likely a unit mistake than an intent. */
    static final int MAX_KEEP_DONE = 31_536_000;
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
        int keepDone = pipeline.getInt(KEEP_DONE, 0);
        if (keepDone < 0 || keepDone > MAX_KEEP_DONE) {
            throw pipeline.bad(KEEP_DONE, String.valueOf(keepDone), "seconds from 0 to " + MAX_KEEP_DONE);
        }
        return new JdbcOptions(pipeline.priority(), prefetch, Math.round(poll * 1000), lease, timeout, keepDone);
    }

    /** @return how often the done rows older than {@code keep_done} are purged: half of it, from 0.5 s to 60 s */
    long purgeEveryMillis() {
        return Math.max(500, Math.min(60_000, keepDoneSeconds * 500L));
    }

    /** @return the fewest free slots worth a claim while the runtime's queue still holds jobs: half of prefetch */
    int claimAtLeast() {
        return Math.max(1, prefetch / 2);
    }

    /** @return how often the leases of running jobs are renewed: a third of the lease */
    long renewEveryMillis() {
        return leaseSeconds * 1000L / 3;
    }
}
