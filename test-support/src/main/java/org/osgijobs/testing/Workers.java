package org.osgijobs.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * Threads that play the runtime's workers: they take jobs from a {@link SharedTestQueue}, settle each with the given
 * action (ack by default), and count how often each job id was seen. Every take is also recorded as a run in a
 * {@link Ledger} (its own, or one the test shares between several workers), and every default ack as a
 * settlement.
 */
public final class Workers implements AutoCloseable {

    private final SharedTestQueue queue;
    private final Consumer<Job> action;
    private final Ledger ledger;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final List<Job> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    public Workers(SharedTestQueue queue, int count, Consumer<Job> action) {
        this(queue, count, action, new Ledger("workers"));
    }

    private Workers(SharedTestQueue queue, int count, Consumer<Job> action, Ledger ledger) {
        this.queue = queue;
        this.action = action;
        this.ledger = ledger;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "test-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public Workers(SharedTestQueue queue, int count) {
        this(queue, count, new Ledger("workers"));
    }

    /** Workers that ack every job, recording its runs and settlements in the ledger. */
    public Workers(SharedTestQueue queue, int count, Ledger ledger) {
        this(queue, count, job -> {
            job.settle(Settlement.ack());
            ledger.settled(job.id());
        }, ledger);
    }

    private void work() {
        while (running) {
            Job job;
            try {
                job = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job != null) {
                seen.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
                ledger.ran(job.id());
                jobs.add(job);
                action.accept(job);
            }
        }
    }

    /** @return runs so far, duplicates included */
    public int runs() {
        return seen.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return distinct job ids seen */
    public int distinct() {
        return seen.size();
    }

    /** @return how often the job ran */
    public int count(String id) {
        AtomicInteger n = seen.get(id);
        return n == null ? 0 : n.get();
    }

    /** @return the ledger the runs are recorded in */
    public Ledger ledger() {
        return ledger;
    }

    public Map<String, AtomicInteger> seen() {
        return seen;
    }

    /** @return the jobs taken, in the order taken */
    public List<Job> jobs() {
        synchronized (jobs) {
            return new ArrayList<>(jobs);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(2000);
        }
    }
}
