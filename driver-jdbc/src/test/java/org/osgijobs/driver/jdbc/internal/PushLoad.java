package org.osgijobs.driver.jdbc.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/**
 * Steady load on a driver for the fault tests: one producer pushing a job every 2 ms (ids {@code job-0},
 * {@code job-1}, …) and two workers acknowledging what comes, all recorded in a {@link Ledger}.
 */
final class PushLoad {
    private final Ledger ledger;
    private final AtomicBoolean pushing = new AtomicBoolean(true);
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread producer;
    private final List<Thread> workers = new ArrayList<>();

    /** Starts pushing through the driver and running from the queue. */
    PushLoad(Ledger ledger, JdbcDriver driver, TestQueue queue, Function<String, Message> message) {
        this.ledger = ledger;
        producer = thread("producer", () -> {
            List<CompletableFuture<Void>> pushes = new ArrayList<>();
            for (int i = 0; pushing.get(); i++) {
                String id = "job-" + i;
                ledger.pushed(id);
                pushes.add(ledger.track(id, driver.push(message.apply(id))).toCompletableFuture());
                Thread.sleep(2);
            }
            // the last pushes complete (accepted or refused) before the producer ends
            CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).handle((ok, e) -> null).join();
        });
        for (int i = 0; i < 2; i++) {
            workers.add(thread("worker", () -> {
                while (!done.get()) {
                    Job job = queue.take(100, TimeUnit.MILLISECONDS);
                    if (job != null) {
                        ledger.ran(job.id());
                        job.settle(Settlement.ack());
                    }
                }
            }));
        }
    }

    /** Waits until {@code more} pushes were accepted beyond those accepted when called. */
    void awaitMoreAccepted(int more, Duration limit) throws Exception {
        int before = ledger.acceptedCount();
        Poll.until(more + " more pushes accepted", limit, Duration.ofMillis(20),
                () -> ledger.acceptedCount() >= before + more, ledger::summary);
    }

    /** Stops pushing, waits until every accepted job ran, then stops the workers. */
    void finish(Duration limit) throws InterruptedException {
        pushing.set(false);
        producer.join(15_000);
        ledger.awaitAllAcceptedRan(limit);
        done.set(true);
        for (Thread t : workers) {
            t.join(15_000);
        }
    }

    /** A body that may throw, run on a daemon thread. */
    interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
