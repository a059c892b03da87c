package org.osgijobs.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The deadlines of asynchronous pushes in flight, checked by one sweep every {@value #SWEEP_MILLIS} ms instead of a
 * timer task per push ({@code orTimeout} scheduled and cancelled a task on a shared timer for every push: measured
 * as a large share of the push path of the asynchronous drivers). Pushes are watched in the order they are made;
 * all of a runtime's pushes wait the same timeout, so that is also their deadlines' order, and a sweep stops at the
 * first push that is neither done nor due. A push fails with a {@link TimeoutException} at most one sweep period after
 * its deadline (after a change of the timeout to a shorter one, at the latest when the pushes before it are due).
 */
final class PushDeadlines {
    static final long SWEEP_MILLIS = 100;

    private record Watch(CompletableFuture<Void> push, long deadlineNanos) {
    }

    private final ConcurrentLinkedQueue<Watch> watches = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final BiConsumer<Runnable, Long> scheduler;

    /** @param scheduler runs a task after a delay in milliseconds (dropping it when the runtime stops) */
    PushDeadlines(BiConsumer<Runnable, Long> scheduler) {
        this.scheduler = scheduler;
    }

    /** Fails the push with a {@link TimeoutException} unless it is done by the deadline. */
    void watch(CompletableFuture<Void> push, long deadlineNanos) {
        watches.add(new Watch(push, deadlineNanos));
        scheduleSweep();
    }

    private void scheduleSweep() {
        if (sweepScheduled.compareAndSet(false, true)) {
            scheduler.accept(this::sweep, SWEEP_MILLIS);
        }
    }

    /** Fails the pushes that are due, forgets the done ones at the front, and comes back while any is watched. */
    synchronized void sweep() {
        long now = System.nanoTime();
        for (Watch w = watches.peek(); w != null; w = watches.peek()) {
            boolean done = w.push.isDone();
            if (!done && w.deadlineNanos - now > 0) {
                break;
            }
            watches.poll();
            if (!done) {
                w.push.completeExceptionally(new TimeoutException());
            }
        }
        sweepScheduled.set(false);
        if (!watches.isEmpty()) {
            scheduleSweep();
        }
    }

    /** @return the pushes watched now (done ones behind a pending one included); for tests */
    int watched() {
        return watches.size();
    }
}
