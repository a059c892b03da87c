package org.osgijobs.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process baseline: a bare {@link PriorityBlockingQueue} ordered like the runtime's queue (priority, then
 * sequence) and drained by the same number of threads, each running the same {@link JobWork}. Delayed jobs wait
 * in one timer thread and then enter the queue with a new sequence, as the memory driver does. No ids beyond the
 * one the producer gives, no acknowledgement, no counters: the least a hand-off can do.
 */
final class HandOffBaseline implements AutoCloseable {

    /** One queued job. */
    record Entry(String id, long priority, long sequence, byte[] payload) {
    }

    /** Priority, then sequence: the runtime queue's order. */
    static final Comparator<Entry> ORDER = (a, b) -> {
        int byPriority = Long.compare(a.priority, b.priority);
        return byPriority != 0 ? byPriority : Long.compare(a.sequence, b.sequence);
    };

    private final PriorityBlockingQueue<Entry> queue = new PriorityBlockingQueue<>(11, ORDER);
    private final ScheduledThreadPoolExecutor delays = new ScheduledThreadPoolExecutor(1, daemon("baseline-delay"));
    private final List<Thread> threads = new ArrayList<>();
    private volatile JobWork work = JobWork.NONE;
    private final AtomicLong sequence = new AtomicLong(); // taken by the producer and the delay thread

    HandOffBaseline(int workers) {
        for (int i = 0; i < workers; i++) {
            Thread t = daemon("baseline-worker-" + i).newThread(this::drain);
            threads.add(t);
            t.start();
        }
    }

    /** Sets what the next jobs do. */
    void use(JobWork next) {
        this.work = next;
    }

    /**
     * Queues a job now, or after its delay.
     *
     * @param id           the job's id
     * @param priority     lower first
     * @param payload      the job's payload
     * @param delaySeconds seconds before it is queued
     */
    void push(String id, long priority, byte[] payload, int delaySeconds) {
        if (delaySeconds > 0) {
            delays.schedule(() -> queue.put(new Entry(id, priority, nextSequence(), payload)), delaySeconds,
                    TimeUnit.SECONDS);
        } else {
            queue.put(new Entry(id, priority, nextSequence(), payload));
        }
    }

    private long nextSequence() {
        return sequence.getAndIncrement();
    }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Entry entry = queue.take();
                work.run(entry.payload(), System.nanoTime());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        delays.shutdownNow();
        threads.forEach(Thread::interrupt);
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }
}
