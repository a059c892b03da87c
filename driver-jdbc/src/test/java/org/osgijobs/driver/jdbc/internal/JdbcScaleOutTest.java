package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.TestQueue;

/** Two runtimes (each its own pool) on one pipeline and one table: sharing, and taking over a dead one's jobs. */
public class JdbcScaleOutTest extends JdbcFixture {
    private static final int JOBS = 2_000;
    private static final int PREFETCH = 50;

    @Test
    public void twoRuntimesShare2000JobsEachRunOnce() throws Exception {
        Ledger ledger = new Ledger("jdbc scale-out");
        TestQueue queueA = queue();
        TestQueue queueB = queue();
        JdbcDriver a = running(runtime(), queueA, "prefetch", String.valueOf(PREFETCH));
        JdbcDriver b = running(runtime(), queueB, "prefetch", String.valueOf(PREFETCH));
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger ranByA = new AtomicInteger();
        AtomicInteger ranByB = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(worker(queueA, ledger, done, ranByA));
            workers.add(worker(queueB, ledger, done, ranByB));
        }
        long start = System.nanoTime();
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = "job-" + i;
            ledger.pushed(id);
            JdbcDriver via = i % 2 == 0 ? a : b;
            pushes.add(ledger.track(id, via.push(message(id).build())).toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).join();
        long pushedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
        long ranMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        done.set(true);
        for (Thread w : workers) {
            w.join(5_000);
        }
        System.out.printf("jdbc scale-out: %d jobs pushed in %d ms, all ran in %d ms (%.0f jobs/s end to end);"
                + " runtime A ran %d, B ran %d; %s%n", JOBS, pushedMillis, ranMillis, JOBS * 1000.0 / ranMillis,
                ranByA.get(), ranByB.get(), ledger.summary());
        assertEquals(JOBS, ledger.acceptedCount());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "no fault: each job runs once");
        assertTrue("both runtimes ran jobs: A " + ranByA + ", B " + ranByB, ranByA.get() > 0 && ranByB.get() > 0);
        assertTrue("acknowledged rows deleted", rowsEventuallyGone());
    }

    @Test
    public void aCrashedRuntimesLeasedJobsAreTakenOverAfterTheLeaseAndRunOnceMore() throws Exception {
        Ledger ledger = new Ledger("jdbc crash");
        TestQueue queueA = queue();
        TestQueue queueB = queue();
        String[] options = {"prefetch", String.valueOf(PREFETCH), "lease", "2"};
        JdbcDriver a = running(runtime(), queueA, options);
        JdbcDriver b = driver(runtime(), queueB, options);
        int jobs = 500;
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            String id = "job-" + i;
            ledger.pushed(id);
            pushes.add(ledger.track(id, b.push(message(id).build())).toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).join();
        // runtime A runs 75 jobs, then dies with the rest of its claim in its queue and maybe some acks unwritten
        for (int i = 0; i < 75; i++) {
            Job job = queueA.take(10, TimeUnit.SECONDS);
            ledger.ran(job.id());
            job.settle(Settlement.ack());
        }
        assertTrue(org.osgijobs.testing.Poll.eventually(() -> queueA.size() > 0, Duration.ofSeconds(10)));
        a.crash();
        long leased = query("SELECT count(*) FROM $table WHERE pipeline = ? AND locked_by = '" + a.lockedBy() + "'");
        assertTrue("the dead runtime holds leases: " + leased, leased > 0 && leased <= PREFETCH);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger ranByB = new AtomicInteger();
        AtomicInteger secondAttempts = new AtomicInteger();
        b.run(pipeline(options));
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(worker(queueB, ledger, done, ranByB, secondAttempts));
        }
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
        assertTrue("the dead runtime's rows taken over and acknowledged", rowsEventuallyGone());
        done.set(true);
        for (Thread w : workers) {
            w.join(5_000);
        }
        System.out.printf("jdbc crash: the dead runtime held %d leases; %d jobs ran with attempt 2; %s%n", leased,
                secondAttempts.get(), ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(PREFETCH, "at most the dead runtime's prefetch runs again");
        assertEquals("every leased row ran again with its attempt counted", leased, secondAttempts.get());
    }

    @Test
    public void aPushIntoOneRuntimeWakesTheOtherWithoutWaitingForItsPoll() throws Exception {
        TestQueue queueA = queue();
        TestQueue queueB = queue();
        // polls every 60 s: only a push signal brings the job within the test's 10 s
        JdbcDriver a = driver(runtime(), queueA, "poll_interval", "60");
        JdbcDriver b = running(runtime(), queueB, "poll_interval", "60");
        // built means listening: B's first claim finds nothing, then it waits for a signal or 60 s
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            push(a, message("signalled-" + i).build());
            Job job = queueB.take(10, TimeUnit.SECONDS);
            assertTrue("runtime B got no signal of runtime A's push within 10 s", job != null);
            assertEquals("signalled-" + i, job.name());
            System.out.printf("jdbc signal: a push into runtime A reached runtime B's queue in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            job.settle(Settlement.ack());
        }
    }

    private static Thread worker(TestQueue queue, Ledger ledger, AtomicBoolean done, AtomicInteger ran) {
        return worker(queue, ledger, done, ran, new AtomicInteger());
    }

    private static Thread worker(TestQueue queue, Ledger ledger, AtomicBoolean done, AtomicInteger ran,
            AtomicInteger secondAttempts) {
        Thread t = new Thread(() -> {
            try {
                while (!done.get()) {
                    Job job = queue.take(100, TimeUnit.MILLISECONDS);
                    if (job == null) {
                        continue;
                    }
                    ledger.ran(job.id());
                    ran.incrementAndGet();
                    if ("2".equals(job.context().header(JobContext.ATTEMPT_HEADER))) {
                        secondAttempts.incrementAndGet();
                    }
                    job.settle(Settlement.ack());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
