package org.osgijobs.driver.amqp.internal;

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
 * Threads that play the runtime's workers: they take jobs from a {@link TestQueue}, settle each with the given
 * action (ack by default), and count how often each job id was seen.
 */
final class Workers implements AutoCloseable {

    private final TestQueue queue;
    private final Consumer<Job> action;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final List<Job> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    Workers(TestQueue queue, int count, Consumer<Job> action) {
        this.queue = queue;
        this.action = action;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "test-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    Workers(TestQueue queue, int count) {
        this(queue, count, job -> job.settle(Settlement.ack()));
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
                jobs.add(job);
                action.accept(job);
            }
        }
    }

    /** @return runs so far, duplicates included */
    int runs() {
        return seen.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return distinct job ids seen */
    int distinct() {
        return seen.size();
    }

    /** @return how often the job ran */
    int count(String id) {
        AtomicInteger n = seen.get(id);
        return n == null ? 0 : n.get();
    }

    Map<String, AtomicInteger> seen() {
        return seen;
    }

    /** @return the jobs taken, in the order taken */
    List<Job> jobs() {
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
