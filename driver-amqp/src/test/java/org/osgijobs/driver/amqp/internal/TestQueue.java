package org.osgijobs.driver.amqp.internal;

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
 * The runtime's queue as the driver sees it, for tests without jobs-core: bounded, lower priority first, equal
 * priorities in insertion order, blocking insert and take.
 */
final class TestQueue implements Queue {
    private record Key(long priority, long order) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final int capacity;
    private final TreeMap<Key, Job> jobs = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long order;

    TestQueue(int capacity) {
        this.capacity = capacity;
    }

    TestQueue() {
        this(100_000);
    }

    @Override
    public void insert(Job job) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (jobs.size() >= capacity) {
                notFull.await();
            }
            put(job);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Job job) {
        lock.lock();
        try {
            if (jobs.size() >= capacity) {
                return false;
            }
            put(job);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Job extractMin() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (jobs.isEmpty()) {
                notEmpty.await();
            }
            return takeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** @return the first job, or {@code null} when none came in time */
    Job poll(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (jobs.isEmpty()) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            return takeFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Job> remove(String pipeline) {
        lock.lock();
        try {
            List<Job> removed = new ArrayList<>();
            Iterator<Job> it = jobs.values().iterator();
            while (it.hasNext()) {
                Job job = it.next();
                if (job.groupId().equals(pipeline)) {
                    removed.add(job);
                    it.remove();
                }
            }
            if (!removed.isEmpty()) {
                notFull.signalAll();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private void put(Job job) {
        jobs.put(new Key(job.priority(), order++), job);
        notEmpty.signal();
    }

    private Job takeFirst() {
        Job job = jobs.pollFirstEntry().getValue();
        notFull.signal();
        return job;
    }
}
