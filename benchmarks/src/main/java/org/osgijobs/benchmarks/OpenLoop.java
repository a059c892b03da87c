package org.osgijobs.benchmarks;

import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * An open-loop producer: job {@code i} is due at {@code start + i / rate}, whatever happened to the jobs before it.
 * Each job is handed the time it was <em>due</em>, not the time it was actually pushed, so a push that comes late
 * because the system stalled the producer still counts its whole wait (no coordinated omission). The producer
 * parks until the next job is due and then pushes every job already due at once; how late it pushed is
 * kept apart ({@link #lag()}), so a reader can tell the producer's own delay from the runtime's.
 */
final class OpenLoop {
    /** What the producer does with each job. */
    @FunctionalInterface
    interface Push {
        /**
         * @param index     the job's number in the round, from 0
         * @param dueNanos  the {@link System#nanoTime()} at which the schedule wanted it pushed
         */
        void push(int index, long dueNanos) throws Exception;
    }

    private final double ratePerSecond;
    private final Histogram lag = new Histogram(3);

    /**
     * @param ratePerSecond jobs per second, more than 0
     * @throws IllegalArgumentException naming the rate when it is not positive
     */
    OpenLoop(double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("an open-loop rate must be a positive number of jobs/s, got "
                    + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * Pushes {@code jobs} jobs on the schedule, starting now.
     *
     * @return the {@link System#nanoTime()} at which the schedule started
     */
    long run(int jobs, Push push) throws Exception {
        double interval = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            long due = start + (long) (i * interval);
            long now = System.nanoTime();
            // parks, never spins: a spinning producer would take one of the 2 cores from the workers; a park
            // overshoots by up to about 60 us, which is why the lag is recorded
            while (due - now > 0) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            push.push(i, due);
            lag.recordValue(Math.max(0, now - due));
        }
        return start;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    /** @return how late, in nanoseconds, the producer began each push against its schedule */
    Histogram lag() {
        return lag;
    }
}
