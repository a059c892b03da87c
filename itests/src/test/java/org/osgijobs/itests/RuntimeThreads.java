package org.osgijobs.itests;

import java.time.Duration;

/**
 * Observes the runtime's worker threads. The pool size itself is not visible through the API; a test that needs
 * an exact number of workers (ordering through one worker) waits until the retired ones have ended. Relies on the
 * runtime naming its workers {@value #WORKER_PREFIX}<i>n</i>.
 */
final class RuntimeThreads {
    static final String WORKER_PREFIX = "jobs-worker-";

    private RuntimeThreads() {
    }

    /** @return the number of live worker threads */
    static int workers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(WORKER_PREFIX)).count();
    }

    /**
     * Waits until exactly that many worker threads are alive.
     *
     * @param count the number
     */
    static void awaitWorkers(int count) {
        ItestSupport.awaitValue("exactly " + count + " live '" + WORKER_PREFIX + "*' threads",
                Duration.ofSeconds(30), RuntimeThreads::workers, n -> n == count);
    }
}
