package org.osgijobs.launcher.it;

import static org.junit.Assert.fail;

import java.time.Duration;

/** Bounded waits for conditions that span processes (logs of several runs, the broker's view of a queue). */
final class Poll {

    /** A condition checked again and again. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** What the failure message shows when the condition never held. */
    @FunctionalInterface
    interface Diagnosis {
        String describe() throws Exception;
    }

    private Poll() {
    }

    /**
     * Checks the condition every {@code interval} until it holds; fails with the diagnosis after the timeout.
     *
     * @param what what is waited for, for the failure message
     */
    static void until(String what, Duration timeout, Duration interval, Condition condition, Diagnosis diagnosis)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout.toSeconds() + " s: " + what + "\n" + diagnosis.describe());
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
