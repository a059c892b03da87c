package org.osgijobs.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * Counts the runtime's worker threads by their name ({@code jobs-worker-N}), to confirm that a {@code num_workers}
 * setting is in force: the runtime applies configuration asynchronously and a retired worker leaves only after
 * its current wait for a job.
 */
final class WorkerThreads {
    private static final String PREFIX = "jobs-worker-";

    private WorkerThreads() {
    }

    static int count() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(PREFIX)).count();
    }

    /**
     * @return the number of worker threads once it equals {@code expected}, or the last count seen after
     *         {@code timeoutSeconds}
     */
    static int await(int expected, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int seen = count();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = count();
        }
        return seen;
    }
}
