package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.TestQueue;

/** Many pushes in flight, workers settling, a crash in the middle: a ledger counts what was lost and run twice. */
public class LocalDriverLoadTest extends LocalFixture {
    private static final int PREFETCH = 50;

    /** Workers as the runtime's: take, run (recorded), acknowledge. */
    private static final class Workers implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Workers(TestQueue queue, Ledger ledger, int count) {
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (running.get()) {
                            Job job = queue.take(50, TimeUnit.MILLISECONDS);
                            if (job != null) {
                                ledger.ran(job.id());
                                job.settle(Settlement.ack());
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "test-worker-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    @Test
    public void aCrashUnderLoadLosesNoAcceptedJobAndRunsAtMostPrefetchAgain() throws Exception {
        Ledger ledger = new Ledger("local crash");
        TestQueue queue = queue();
        LocalDriver first = running(queue, "prefetch", String.valueOf(PREFETCH));
        Semaphore window = new Semaphore(200);
        int pushed = 0;
        try (Workers workers = new Workers(queue, ledger, 2)) {
            while (ledger.acceptedCount() < 3_000) {
                window.acquire();
                String id = "job-" + pushed++;
                ledger.pushed(id);
                ledger.track(id, first.push(message("load").id(id).build())).whenComplete((ok, e) -> window.release());
            }
            first.crash(); // what kill -9 leaves: the file as of its last commit
        }
        queue.drain(); // jobs in the dead runtime's queue: gone with its process
        window.acquire(200); // every push has its answer
        System.out.printf("before the crash: %s%n", ledger.summary());

        TestQueue after = queue();
        running(after, "prefetch", String.valueOf(PREFETCH));
        try (Workers workers = new Workers(after, ledger, 2)) {
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
        }
        System.out.printf("after the restart: %s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(PREFETCH, "only jobs handed to the runtime whose ack was not yet committed");
    }

    @Test
    public void batchSharesForcesAlwaysForcesEachPushNoneLeavesItToTheSystem() throws Exception {
        int pushes = 1_000;
        long batch = forcesFor(pushes, "batch");
        long always = forcesFor(pushes, "always");
        long none = forcesFor(pushes, "none");
        System.out.printf("%d pushes in flight: %d forces with sync=batch, %d with sync=always, %d with none%n",
                pushes, batch, always, none);
        assertTrue(batch + " forces for " + pushes + " pushes: batch did not group", batch < pushes / 2);
        assertTrue(always + " forces for " + pushes + " pushes: always shared them", always >= pushes);
        assertTrue(none + " forces with sync=none", none == 0);
    }

    private long forcesFor(int pushes, String sync) {
        TestQueue queue = queue();
        LocalDriver driver = (LocalDriver) constructor.create(context(pipeline("sync-" + sync, "sync", sync),
                queue));
        try {
            long before = driver.store().forces();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < pushes; i++) {
                inFlight.add(driver.push(org.osgijobs.api.Message.builder("j").pipeline("sync-" + sync).build())
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).join();
            return driver.store().forces() - before;
        } finally {
            driver.stop();
        }
    }
}
