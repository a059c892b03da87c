package org.osgijobs.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;

public class LedgerTest {

    @Test
    public void countsEveryStage() {
        Ledger l = new Ledger("t");
        l.pushed("a");
        l.accepted("a");
        l.accepted("b");
        l.refused("c", "full");
        l.ran("a");
        l.ran("a");
        l.ran("b");
        l.settled("a");
        assertEquals(3, l.pushedCount());
        assertEquals(2, l.acceptedCount());
        assertEquals(1, l.refusedCount());
        assertEquals(3, l.runs());
        assertEquals(2, l.ranCount());
        assertEquals(2, l.runsOf("a"));
        assertEquals(1, l.duplicates());
        assertEquals(1, l.settledCount());
        assertEquals(List.of(), l.lost());
        assertEquals("t: 3 pushed, 2 accepted, 1 refused, 3 runs of 2 ids, 1 duplicates, 0 lost, 1 settled",
                l.summary());
    }

    @Test
    public void noneLostFailsNamingTheMissingIdsAndCounts() {
        Ledger l = new Ledger("recovery");
        for (int i = 0; i < 10; i++) {
            l.accepted("j" + i);
        }
        for (int i = 0; i < 3; i++) {
            l.ran("j" + i);
        }
        AssertionError e = assertThrows(AssertionError.class, l::assertNoneLost);
        assertTrue(e.getMessage(), e.getMessage().startsWith("recovery: 7 of 10 accepted jobs never ran (lost), e.g."
                + " [j3, j4, j5, j6, j7]; "));
        assertTrue(e.getMessage(), e.getMessage().endsWith("3 runs of 3 ids, 0 duplicates, 7 lost"));
        for (int i = 3; i < 10; i++) {
            l.ran("j" + i);
        }
        l.assertNoneLost();
    }

    @Test
    public void aJobThatRanBeforeItsPushWasConfirmedIsNotLost() {
        Ledger l = new Ledger();
        l.ran("early");
        l.accepted("early");
        l.assertNoneLost();
        assertEquals(List.of(), l.lost());
    }

    @Test
    public void duplicatesAboveTheBoundFailWithTheReason() {
        Ledger l = new Ledger("cuts");
        l.accepted("a");
        l.ran("a", 3);
        l.accepted("b");
        l.ran("b");
        l.assertDuplicatesAtMost(2, "two redeliveries");
        AssertionError e = assertThrows(AssertionError.class, () -> l.assertDuplicatesAtMost(1, "one redelivery"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("cuts: 2 duplicate runs, more than the 1 allowed (one"
                + " redelivery), e.g. [a ran 3 times]; "));
    }

    @Test
    public void aDuplicateBoundNeedsAReasonAndIsNotNegative() {
        Ledger l = new Ledger();
        assertThrows(IllegalArgumentException.class, () -> l.assertDuplicatesAtMost(0, " "));
        assertThrows(IllegalArgumentException.class, () -> l.assertDuplicatesAtMost(-1, "why"));
        l.assertDuplicatesAtMost(0, "nothing ran");
    }

    @Test
    public void onlyAcceptedRanNamesTheStrangersAndHowManyWereRefused() {
        Ledger l = new Ledger("x");
        l.accepted("a");
        l.ran("a");
        l.assertOnlyAcceptedRan();
        l.refused("r", "timeout");
        l.ran("r");
        l.ran("never-pushed");
        AssertionError e = assertThrows(AssertionError.class, l::assertOnlyAcceptedRan);
        assertTrue(e.getMessage(), e.getMessage().startsWith("x: 2 jobs ran that were never accepted (1 of them"
                + " refused), e.g. [r, never-pushed]; "));
    }

    @Test
    public void refusalsCarryTheirPhase() {
        Ledger l = new Ledger("life");
        l.refused("a", "away");
        l.phase("update");
        l.refused("b", new CompletionException(new JobsException("driver unavailable")));
        l.phase("after");
        l.assertNoRefusalsIn("before", "nothing happens before");
        AssertionError e = assertThrows(AssertionError.class, () -> l.assertNoRefusalsIn("update", "update waits"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("life: 1 pushes refused during 'update' (update waits),"
                + " e.g. [Refusal[id=b, message=driver unavailable, phase=update]]"));
        assertEquals(List.of(new Ledger.Refusal("a", "away", "")), l.refusals(""));
        assertTrue(l.summary(), l.summary().contains("2 refused (no phase: 1, update: 1)"));
        assertThrows(AssertionError.class, () -> l.assertNoRefusals("never"));
    }

    @Test
    public void trackRecordsTheOutcomeOfAnAsynchronousPush() {
        Ledger l = new Ledger();
        CompletableFuture<Void> ok = new CompletableFuture<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        l.track("ok", ok);
        l.track("failed", failed);
        assertEquals(2, l.pushedCount());
        assertEquals(0, l.acceptedCount());
        ok.complete(null);
        failed.completeExceptionally(new JobsException("not stored within 3 s"));
        assertEquals(1, l.acceptedCount());
        CompletableFuture<Void> third = new CompletableFuture<>();
        int[] acceptedWhenDone = new int[1];
        l.track("third", third).whenComplete((ok2, e) -> acceptedWhenDone[0] = l.acceptedCount());
        third.complete(null);
        assertEquals("what is chained on the returned stage sees the outcome recorded", 2, acceptedWhenDone[0]);
        assertEquals("not stored within 3 s", l.refusals().get(0).message());
    }

    @Test(timeout = 10_000)
    public void awaitReturnsWhenTheLastAcceptedJobRuns() throws Exception {
        Ledger l = new Ledger();
        l.accepted("a");
        l.accepted("b");
        l.ran("a");
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            runner.execute(() -> {
                try {
                    waiting.await();
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                l.ran("b");
            });
            waiting.countDown();
            long start = System.nanoTime();
            l.awaitAllAcceptedRan(Duration.ofSeconds(5));
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 5);
        } finally {
            runner.shutdownNow();
        }
    }

    @Test(timeout = 10_000)
    public void awaitFailsAfterItsLimitNamingTheMissing() {
        Ledger l = new Ledger("w");
        l.accepted("slow");
        AssertionError e = assertThrows(AssertionError.class, () -> l.awaitAllAcceptedRan(Duration.ofMillis(100)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("w: not within 100 ms: 1 of 1 accepted jobs never ran"
                + " (lost), e.g. [slow]"));
    }

    @Test(timeout = 30_000)
    public void concurrentRecordsAddUp() throws Exception {
        Ledger l = new Ledger();
        int threads = 4;
        int each = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                pool.execute(() -> {
                    for (int i = base; i < base + each; i++) {
                        l.accepted("j" + i);
                        l.ran("j" + i);
                        if (i % 100 == 0) {
                            l.ran("j" + i);
                        }
                    }
                });
            }
            l.awaitAllAcceptedRan(Duration.ofSeconds(20));
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(threads * each, l.acceptedCount());
        assertEquals(threads * each / 100, l.duplicates());
        l.assertNoneLost();
        l.assertDuplicatesAtMost(threads * each / 100, "every hundredth job runs twice");
        l.assertOnlyAcceptedRan();
    }
}
