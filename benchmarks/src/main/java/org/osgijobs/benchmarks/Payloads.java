package org.osgijobs.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The 100-byte payload every benchmark job carries: the {@link System#nanoTime()} of its push (8 bytes), the delay
 * it asked for in seconds (4 bytes), zero padding. A handler reads both back to measure the latency from the moment
 * the job was due (push time plus delay) to the moment the handler started.
 */
final class Payloads {
    /** Payload size of every benchmark job, in bytes. */
    static final int SIZE = 100;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private Payloads() {
    }

    /** @return a new payload stamped with the current time */
    static byte[] stampedNow(int delaySeconds) {
        byte[] payload = new byte[SIZE];
        stamp(payload, System.nanoTime(), delaySeconds);
        return payload;
    }

    /** Writes the push time and the delay into a payload of {@link #SIZE} bytes. */
    static void stamp(byte[] payload, long pushedAtNanos, int delaySeconds) {
        LONGS.set(payload, 0, pushedAtNanos);
        INTS.set(payload, 8, delaySeconds);
    }

    /**
     * @param payload     a stamped payload
     * @param startNanos  when the handler started
     * @return nanoseconds from the moment the job was due to {@code startNanos}, never negative
     */
    static long latencyNanos(byte[] payload, long startNanos) {
        long pushedAt = (long) LONGS.get(payload, 0);
        int delay = (int) INTS.get(payload, 8);
        return Math.max(0, startNanos - pushedAt - delay * NANOS_PER_SECOND);
    }
}
