package org.osgijobs.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where the jobs of one round end: counts them, records each one's latency (due to handler start) and the moment
 * the last one was handled. Thread-safe and wait-free for the handlers (an HdrHistogram {@link Recorder}).
 */
final class RoundSink {
    private final int expected;
    private final AtomicInteger handled = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Recorder latencies = new Recorder(3);
    private volatile long finishedAt;

    RoundSink(int expected) {
        if (expected < 1) {
            throw new IllegalArgumentException("a round needs at least one job, got " + expected);
        }
        this.expected = expected;
    }

    /**
     * Records one handled job.
     *
     * @param payload    the job's payload (see {@link Payloads})
     * @param startNanos when its handler started
     */
    void handled(byte[] payload, long startNanos) {
        latencies.recordValue(Payloads.latencyNanos(payload, startNanos));
        if (handled.incrementAndGet() == expected) {
            finishedAt = System.nanoTime();
            finished.countDown();
        }
    }

    /** @return how many jobs were handled so far */
    int handledCount() {
        return handled.get();
    }

    int expected() {
        return expected;
    }

    /**
     * Waits for the last job.
     *
     * @return the {@link System#nanoTime()} at which the last job was handled
     * @throws IllegalStateException when not all jobs came within the time
     */
    long awaitLast(long timeout, TimeUnit unit) throws InterruptedException {
        if (!finished.await(timeout, unit)) {
            throw new IllegalStateException("only " + handled.get() + " of " + expected + " jobs were handled within "
                    + unit.toSeconds(timeout) + " s");
        }
        return finishedAt;
    }

    /** @return the latencies recorded since the last call, in nanoseconds */
    Histogram latencies() {
        return latencies.getIntervalHistogram();
    }
}
