package org.osgijobs.http.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations: fixed upper bounds in seconds, one contention-free counter per bucket,
 * the count and the sum. {@link #observe(long)} is cheap enough for every push and every run.
 */
final class Histogram {

    /** Push latency: from half a millisecond to ten seconds. */
    static final double[] PUSH_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10};
    /** Handler run time: from a millisecond to ten minutes. */
    static final double[] RUN_BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
            300, 600};

    private final double[] bounds;
    private final long[] boundNanos;
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.boundNanos = Arrays.stream(bounds).mapToLong(b -> Math.round(b * 1e9)).toArray();
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        int i = Arrays.binarySearch(boundNanos, nanos);
        buckets[i >= 0 ? i : -i - 1].increment();
        sumNanos.add(nanos);
    }

    /** A consistent-enough view for one scrape: cumulative counts per bound, then +Inf (the count). */
    Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sumNanos.sum() / 1e9);
    }

    /**
     * @param bounds     the upper bounds in seconds
     * @param cumulative the cumulative count at each bound, the last one for +Inf (the total count)
     * @param sumSeconds the sum of the observations
     */
    record Snapshot(double[] bounds, long[] cumulative, double sumSeconds) {
        long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}
