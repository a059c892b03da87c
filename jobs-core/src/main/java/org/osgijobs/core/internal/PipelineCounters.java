package org.osgijobs.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;

/** The live counters of one pipeline; contention-free on the hot path. */
final class PipelineCounters {
    final LongAdder pushed = new LongAdder();
    final LongAdder pushErrors = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder requeued = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder noHandler = new LongAdder();
    final LongAdder abandoned = new LongAdder();
    final LongAdder runNanos = new LongAdder();
    final LongAdder runs = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();

    private final Object idle = new Object();
    private volatile int idleWaiters;

    void recordRun(long nanos) {
        runNanos.add(nanos);
        runs.increment();
    }

    /** A worker took a job of the pipeline. */
    void runStarted() {
        inFlight.incrementAndGet();
    }

    /** A worker is done with a job of the pipeline (settled, or given up on). */
    void runEnded() {
        // Dekker-style with awaitIdle: the waiter publishes itself before reading the count, we after writing it
        if (inFlight.decrementAndGet() == 0 && idleWaiters > 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no job of the pipeline is at a worker.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return {@code false} when jobs still run at the deadline
     */
    boolean awaitIdle(long deadlineNanos) {
        synchronized (idle) {
            idleWaiters++;
            try {
                while (inFlight.get() > 0) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    idle.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return inFlight.get() == 0;
            } finally {
                idleWaiters--;
            }
        }
    }

    PipelineStats snapshot(String pipeline, State state) {
        long count = runs.sum();
        long meanRunMicros = count == 0 ? 0 : runNanos.sum() / count / 1000;
        return PipelineStats.builder(pipeline).pushed(pushed.sum()).pushErrors(pushErrors.sum())
                .processed(processed.sum()).failed(failed.sum()).timedOut(timedOut.sum()).requeued(requeued.sum())
                .deadLettered(deadLettered.sum()).noHandler(noHandler.sum()).abandoned(abandoned.sum())
                .inFlight(inFlight.get()).queued(state.active()).delayed(state.delayed())
                .meanRunMicros(meanRunMicros).build();
    }
}
