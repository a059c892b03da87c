package org.osgijobs.benchmarks;

/**
 * A fixed amount of CPU work: a xorshift loop whose iteration count is calibrated once, so that every job burns the
 * same CPU time whichever thread runs it and however many run at once (a sleep or a wall-clock spin would not).
 */
final class BusyWork {
    /** Keeps the loop's result observable, so the JIT cannot drop it. */
    private static volatile long sink;

    private final long iterations;

    private BusyWork(long iterations) {
        this.iterations = iterations;
    }

    /**
     * Measures the loop on this thread and sizes it to the given time.
     *
     * @param micros the work per job, in microseconds
     */
    static BusyWork calibrated(int micros) {
        long probe = 200_000;
        for (int i = 0; i < 20; i++) {
            spin(probe); // warm-up: let the JIT compile the loop
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            long start = System.nanoTime();
            spin(probe);
            best = Math.min(best, System.nanoTime() - start);
        }
        double nanosPerIteration = (double) best / probe;
        return new BusyWork(Math.max(1, Math.round(micros * 1000 / nanosPerIteration)));
    }

    /** Burns the calibrated work once. */
    void burn() {
        spin(iterations);
    }

    /** @return jobs per second one thread achieves running only the work, measured now */
    double bareRate(int jobs) {
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            burn();
        }
        return Measurement.perSecond(jobs, System.nanoTime() - start);
    }

    private static void spin(long n) {
        long x = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        sink = x;
    }
}
