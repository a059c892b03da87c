package org.osgijobs.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.driver.Job;

/**
 * The runtime's bounded priority queue, shared by all pipelines (each driver sees its pipeline's part through a
 * {@link PipelineQueue}): one first-in-first-out line per priority value, kept in a small array
 * sorted by priority. Jobs of equal priority come out in insertion order by construction, and with the handful of
 * priorities real pipelines use, insert and extract are constant time; a binary heap over every queued job (the
 * first version) spent most of the workers' time sifting. Lines stay allocated once used; when unusually many
 * distinct priorities are in use, empty lines are dropped.
 */
final class PriorityJobQueue {
    /** Beyond this many lines, a line is dropped as soon as it is empty. */
    private static final int KEPT_LINES = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    // guarded by lock: priorities[i] is the priority of lines[i], ascending, for i < lineCount
    private long[] priorities = new long[8];
    @SuppressWarnings("unchecked")
    private ArrayDeque<Job>[] lines = new ArrayDeque[8];
    private int lineCount;
    /** No line before this index holds a job. */
    private int firstCandidate;
    private int size;
    private volatile int capacity;

    PriorityJobQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    void insert(Job job) throws InterruptedException {
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

    boolean offer(Job job) {
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

    Job extractMin() throws InterruptedException {
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

    List<Job> remove(String pipeline) {
        lock.lock();
        try {
            List<Job> withdrawn = new ArrayList<>();
            for (int i = 0; i < lineCount; i++) {
                for (Iterator<Job> it = lines[i].iterator(); it.hasNext();) {
                    Job job = it.next();
                    if (pipeline.equals(job.groupId())) {
                        withdrawn.add(job);
                        it.remove();
                    }
                }
            }
            if (!withdrawn.isEmpty()) {
                size -= withdrawn.size();
                notFull.signalAll();
            }
            return withdrawn;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
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
        int index = lineOf(priority);
        lines[index].addLast(job);
        if (index < firstCandidate) {
            firstCandidate = index;
        }
        size++;
        notEmpty.signal();
    }

    /** @return the index of the line of a priority, made if there is none yet */
    private int lineOf(long priority) {
        // the last line used is the usual answer; then a binary search over few lines
        int index = Arrays.binarySearch(priorities, 0, lineCount, priority);
        if (index >= 0) {
            return index;
        }
        index = -index - 1;
        if (lineCount == lines.length) {
            priorities = Arrays.copyOf(priorities, lineCount * 2);
            lines = Arrays.copyOf(lines, lineCount * 2);
        }
        System.arraycopy(priorities, index, priorities, index + 1, lineCount - index);
        System.arraycopy(lines, index, lines, index + 1, lineCount - index);
        priorities[index] = priority;
        lines[index] = new ArrayDeque<>();
        lineCount++;
        if (index <= firstCandidate && firstCandidate < lineCount - 1) {
            firstCandidate++; // the lines after the new one moved up by one
        }
        return index;
    }

    private Job takeFirst() {
        while (lines[firstCandidate].isEmpty()) {
            firstCandidate++;
        }
        ArrayDeque<Job> line = lines[firstCandidate];
        Job first = line.pollFirst();
        size--;
        if (line.isEmpty() && lineCount > KEPT_LINES) {
            dropLine(firstCandidate);
        }
        notFull.signal();
        return first;
    }

    private void dropLine(int index) {
        System.arraycopy(priorities, index + 1, priorities, index, lineCount - index - 1);
        System.arraycopy(lines, index + 1, lines, index, lineCount - index - 1);
        lineCount--;
        lines[lineCount] = null;
        // firstCandidate now points at the line that followed the dropped one: still correct
    }
}
