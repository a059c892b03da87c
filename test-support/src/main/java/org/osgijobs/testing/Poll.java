package org.osgijobs.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for a condition that must become true: the limit is not a timing assertion, it only keeps a broken
 * test from hanging.
 */
public final class Poll {
    private static final long INTERVAL_MILLIS = 20;

    /** A condition checked again and again; it may throw (a broker query). */
    @FunctionalInterface
    public interface Condition {
        /** @return whether it holds now */
        boolean holds() throws Exception;
    }

    /** What the failure message shows when the condition never held. */
    @FunctionalInterface
    public interface Diagnosis {
        /** @return the state worth seeing */
        String describe() throws Exception;
    }

    private Poll() {
    }

    /**
     * Checks the condition every 20 ms until it holds or the limit passes.
     *
     * @return whether it held within the limit
     */
    public static boolean eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
        return true;
    }

    /** {@link #eventually(BooleanSupplier, Duration)} with the limit in seconds. */
    public static boolean eventually(BooleanSupplier condition, long limitSeconds) throws InterruptedException {
        return eventually(condition, Duration.ofSeconds(limitSeconds));
    }

    /**
     * Checks the condition every {@code interval} until it holds; fails with the diagnosis after the timeout.
     *
     * @param what what is waited for, for the failure message
     * @throws AssertionError when it did not hold within the timeout
     */
    public static void until(String what, Duration timeout, Duration interval, Condition condition, Diagnosis diagnosis)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "\n"
                        + diagnosis.describe());
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
