package org.osgijobs.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;

/**
 * A stand-in for the runtime's queue for one pipeline's driver tests: a bounded heap ordered by priority, then
 * insertion order, with blocking insert and extract, and a worker's {@link #take} (extract, then
 * {@link Job#taken()}). The real queue lives in jobs-core, which drivers do not depend on.
 */
public final class TestQueue implements Queue {
    private record Entry(Job job, long priority, long order) {
    }

    private final String pipeline;
    private final int capacity;
    private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> {
        int byPriority = Long.compare(a.priority, b.priority);
        return byPriority != 0 ? byPriority : Long.compare(a.order, b.order);
    });
    private long inserted;

    /**
     * @param pipeline the pipeline this view belongs to
     * @param capacity most jobs it holds
     */
    public TestQueue(String pipeline, int capacity) {
        this.pipeline = pipeline;
        this.capacity = capacity;
    }

    @Override
    public synchronized void insert(Job job) throws InterruptedException {
        while (heap.size() >= capacity) {
            wait();
        }
        add(job);
    }

    @Override
    public synchronized boolean offer(Job job) {
        if (heap.size() >= capacity) {
            return false;
        }
        add(job);
        return true;
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public synchronized List<Job> withdraw() {
        List<Entry> withdrawn = new ArrayList<>();
        for (Iterator<Entry> it = heap.iterator(); it.hasNext();) {
            Entry e = it.next();
            if (pipeline.equals(e.job.groupId())) {
                withdrawn.add(e);
                it.remove();
            }
        }
        withdrawn.sort(heap.comparator());
        notifyAll();
        List<Job> jobs = new ArrayList<>(withdrawn.size());
        withdrawn.forEach(e -> jobs.add(e.job));
        return jobs;
    }

    /** @return the first job, waiting while the queue is empty; not yet taken */
    public synchronized Job extractMin() throws InterruptedException {
        while (heap.isEmpty()) {
            wait();
        }
        return removeFirst();
    }

    /** Takes the first job as the runtime's workers do, waiting while the queue is empty: extract, then taken. */
    public Job take() throws InterruptedException {
        Job job = extractMin();
        job.taken();
        return job;
    }

    /** @return the first job, or {@code null} when none came within the time; not yet taken */
    public synchronized Job poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (heap.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return removeFirst();
    }

    /** Takes the first job as the runtime's workers do, waiting at most the given time; {@code null} when none came. */
    public Job take(long timeout, TimeUnit unit) throws InterruptedException {
        Job job = poll(timeout, unit);
        if (job != null) {
            job.taken();
        }
        return job;
    }

    /** @return the first job without waiting, or {@code null}; not yet taken */
    public synchronized Job poll() {
        return heap.isEmpty() ? null : removeFirst();
    }

    /** @return every job now in the queue, in order, removing them (not taken) */
    public synchronized List<Job> drain() {
        List<Job> all = new ArrayList<>();
        while (!heap.isEmpty()) {
            all.add(removeFirst());
        }
        return all;
    }

    @Override
    public synchronized int size() {
        return heap.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private void add(Job job) {
        heap.add(new Entry(job, job.priority(), inserted++));
        notifyAll();
    }

    private Job removeFirst() {
        Job job = heap.poll().job;
        notifyAll();
        return job;
    }
}
