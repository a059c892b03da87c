package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.junit.Test;

/** The sweep over the pushes' deadlines, driven by hand: no clock waits. */
public class PushDeadlinesTest {
    private final List<Runnable> scheduled = new ArrayList<>();
    private final PushDeadlines deadlines = new PushDeadlines((task, millis) -> scheduled.add(task));

    private void runScheduled() {
        List<Runnable> now = new ArrayList<>(scheduled);
        scheduled.clear();
        now.forEach(Runnable::run);
    }

    @Test
    public void aDuePushFailsWithATimeoutAndOneNotDueWaits() {
        long now = System.nanoTime();
        CompletableFuture<Void> due = new CompletableFuture<>();
        CompletableFuture<Void> later = new CompletableFuture<>();
        deadlines.watch(due, now - 1);
        deadlines.watch(later, now + 60_000_000_000L);
        assertEquals("one sweep scheduled for both", 1, scheduled.size());

        runScheduled();
        assertTrue(due.isCompletedExceptionally());
        try {
            due.join();
        } catch (CompletionException e) {
            assertTrue(e.getCause() instanceof TimeoutException);
        }
        assertFalse(later.isDone());
        assertEquals("the sweep comes back while a push is watched", 1, scheduled.size());

        later.complete(null);
        runScheduled();
        assertEquals(0, deadlines.watched());
        assertEquals("and stops when none is", 0, scheduled.size());
    }

    @Test
    public void aPushDoneInTimeIsNeverFailed() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        deadlines.watch(done, System.nanoTime() - 1);
        done.complete(null);
        runScheduled();
        assertFalse(done.isCompletedExceptionally());
        assertEquals(0, deadlines.watched());
    }

    @Test
    public void theSweepStopsAtTheFirstPushNeitherDoneNorDue() {
        long now = System.nanoTime();
        CompletableFuture<Void> pending = new CompletableFuture<>();
        CompletableFuture<Void> behind = new CompletableFuture<>();
        deadlines.watch(pending, now + 60_000_000_000L);
        deadlines.watch(behind, now + 60_000_000_000L);
        behind.complete(null);
        runScheduled();
        assertEquals("a done push behind a pending one waits to be forgotten", 2, deadlines.watched());
        pending.complete(null);
        runScheduled();
        assertEquals(0, deadlines.watched());
    }
}
