package org.osgijobs.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;

/**
 * The runtime's queue as broker drivers' tests use it, without jobs-core: one pipeline's view ({@link #pipeline()})
 * of a bounded queue, lower priority first, equal priorities in insertion order, blocking insert. Jobs of another
 * pipeline are refused, as the runtime refuses them. {@link #view(String)} gives another pipeline's view of the same
 * queue; {@link #take()} and {@link #poll(long, TimeUnit)} play the runtime's workers and take from the whole queue
 * (without calling {@link Job#taken()}: {@link Workers} do). {@link TestQueue} is the simpler one-pipeline queue.
 */
public final class SharedTestQueue implements Queue {
    private record Key(long priority, long order) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** What all views share: the jobs and their lock. */
    private static final class Shared {
        final int capacity;
        final TreeMap<Key, Job> jobs = new TreeMap<>();
        final ReentrantLock lock = new ReentrantLock();
        final Condition notEmpty = lock.newCondition();
        final Condition notFull = lock.newCondition();
        long order;

        Shared(int capacity) {
            this.capacity = capacity;
        }
    }

    private final Shared shared;
    private final String pipeline;

    private SharedTestQueue(Shared shared, String pipeline) {
        this.shared = shared;
        this.pipeline = pipeline;
    }

    /**
     * @param pipeline the pipeline of this view
     * @param capacity most jobs the queue holds
     */
    public SharedTestQueue(String pipeline, int capacity) {
        this(new Shared(capacity), pipeline);
    }

    /** @param pipeline the pipeline of this view; the queue holds up to 100,000 jobs */
    public SharedTestQueue(String pipeline) {
        this(pipeline, 100_000);
    }

    /** @return another pipeline's view of this queue */
    public SharedTestQueue view(String otherPipeline) {
        return new SharedTestQueue(shared, otherPipeline);
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public void insert(Job job) throws InterruptedException {
        check(job);
        shared.lock.lockInterruptibly();
        try {
            while (shared.jobs.size() >= shared.capacity) {
                shared.notFull.await();
            }
            put(job);
        } finally {
            shared.lock.unlock();
        }
    }

    @Override
    public boolean offer(Job job) {
        check(job);
        shared.lock.lock();
        try {
            if (shared.jobs.size() >= shared.capacity) {
                return false;
            }
            put(job);
            return true;
        } finally {
            shared.lock.unlock();
        }
    }

    /** @return the first job of the whole queue, waiting while it is empty */
    public Job take() throws InterruptedException {
        shared.lock.lockInterruptibly();
        try {
            while (shared.jobs.isEmpty()) {
                shared.notEmpty.await();
            }
            return takeFirst();
        } finally {
            shared.lock.unlock();
        }
    }

    /** @return the first job of the whole queue, or {@code null} when none came in time */
    public Job poll(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        shared.lock.lockInterruptibly();
        try {
            while (shared.jobs.isEmpty()) {
                if (left <= 0) {
                    return null;
                }
                left = shared.notEmpty.awaitNanos(left);
            }
            return takeFirst();
        } finally {
            shared.lock.unlock();
        }
    }

    @Override
    public List<Job> withdraw() {
        shared.lock.lock();
        try {
            List<Job> removed = new ArrayList<>();
            Iterator<Job> it = shared.jobs.values().iterator();
            while (it.hasNext()) {
                Job job = it.next();
                if (job.groupId().equals(pipeline)) {
                    removed.add(job);
                    it.remove();
                }
            }
            if (!removed.isEmpty()) {
                shared.notFull.signalAll();
            }
            return removed;
        } finally {
            shared.lock.unlock();
        }
    }

    @Override
    public int size() {
        shared.lock.lock();
        try {
            return shared.jobs.size();
        } finally {
            shared.lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return shared.capacity;
    }

    private void check(Job job) {
        if (!pipeline.equals(job.groupId())) {
            throw new IllegalArgumentException("the queue of pipeline '" + pipeline + "' was given job " + job.id()
                    + " of pipeline '" + job.groupId() + "'");
        }
    }

    private void put(Job job) {
        shared.jobs.put(new Key(job.priority(), shared.order++), job);
        shared.notEmpty.signal();
    }

    private Job takeFirst() {
        Job job = shared.jobs.pollFirstEntry().getValue();
        shared.notFull.signal();
        return job;
    }
}
