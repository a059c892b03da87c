package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;

/**
 * The runtime's bounded priority queue: a binary heap ordered by (priority, insertion sequence), so equal
 * priorities come out first in, first out. Jobs and their keys live in parallel arrays to keep per-job overhead at
 * a few bytes and avoid an entry object per insert.
 */
final class PriorityJobQueue implements Queue {
    private static final int INITIAL_CAPACITY = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    private Job[] jobs;
    private long[] priorities;
    private long[] sequences;
    private int size;
    private long nextSequence;
    private volatile int capacity;

    PriorityJobQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, INITIAL_CAPACITY);
        jobs = new Job[initial];
        priorities = new long[initial];
        sequences = new long[initial];
    }

    @Override
    public void insert(Job job) throws InterruptedException {
        long priority = job.priority();
        lock.lockInterruptibly();
        try {
            while (size >= capacity) {
                notFull.await();
            }
            add(job, priority);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Job job) {
        long priority = job.priority();
        lock.lock();
        try {
            if (size >= capacity) {
                return false;
            }
            add(job, priority);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Job extractMin() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                notEmpty.await();
            }
            return takeFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the first job, waiting at most the given time.
     *
     * @return the job, or {@code null} when none came in time
     */
    Job poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
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
            List<Integer> withdrawn = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (pipeline.equals(jobs[i].groupId())) {
                    withdrawn.add(i);
                }
            }
            if (withdrawn.isEmpty()) {
                return List.of();
            }
            withdrawn.sort((a, b) -> compare(a, b));
            List<Job> result = new ArrayList<>(withdrawn.size());
            for (int i : withdrawn) {
                result.add(jobs[i]);
            }
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (!pipeline.equals(jobs[i].groupId())) {
                    jobs[kept] = jobs[i];
                    priorities[kept] = priorities[i];
                    sequences[kept] = sequences[i];
                    kept++;
                }
            }
            Arrays.fill(jobs, kept, size, null);
            size = kept;
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
            notFull.signalAll();
            return result;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Changes the capacity; waiting producers are released when it grows. Jobs beyond a smaller one stay. */
    void setCapacity(int newCapacity) {
        if (newCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + newCapacity);
        }
        lock.lock();
        try {
            capacity = newCapacity;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void add(Job job, long priority) {
        if (size == jobs.length) {
            int grown = (int) Math.min((long) capacity, Math.max(INITIAL_CAPACITY, (long) jobs.length * 2));
            grown = Math.max(grown, size + 1);
            jobs = Arrays.copyOf(jobs, grown);
            priorities = Arrays.copyOf(priorities, grown);
            sequences = Arrays.copyOf(sequences, grown);
        }
        int i = size++;
        jobs[i] = job;
        priorities[i] = priority;
        sequences[i] = nextSequence++;
        siftUp(i);
        notEmpty.signal();
    }

    private Job takeFirst() {
        Job first = jobs[0];
        int last = --size;
        if (last > 0) {
            move(last, 0);
            siftDown(0);
        }
        jobs[last] = null;
        notFull.signal();
        return first;
    }

    private int compare(int a, int b) {
        int byPriority = Long.compare(priorities[a], priorities[b]);
        return byPriority != 0 ? byPriority : Long.compare(sequences[a], sequences[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (compare(i, parent) >= 0) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int smallest = right < size && compare(right, left) < 0 ? right : left;
            if (compare(i, smallest) <= 0) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void move(int from, int to) {
        jobs[to] = jobs[from];
        priorities[to] = priorities[from];
        sequences[to] = sequences[from];
    }

    private void swap(int a, int b) {
        Job job = jobs[a];
        jobs[a] = jobs[b];
        jobs[b] = job;
        long p = priorities[a];
        priorities[a] = priorities[b];
        priorities[b] = p;
        long s = sequences[a];
        sequences[a] = sequences[b];
        sequences[b] = s;
    }
}
