package org.osgijobs.driver.memory.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The driver's ready jobs in {@link MemoryJob#READY_ORDER}: one first-in, first-out line per priority, so the usual
 * case (a job joining behind the jobs of its priority) costs constant time however long the backlog is, where a
 * single heap over all of them cost a logarithmic sift with a cache miss per level. Not thread-safe (the driver's
 * lock guards it).
 * <p>
 * A job whose sequence is older than the last of its line (withdrawn from the runtime's queue on pause, or two
 * producers racing between taking a sequence and taking the lock) waits in a small heap beside the line; the
 * first job of a priority is the older of the two heads. A priority's line is dropped once empty, so a drained
 * backlog gives its memory back.
 */
final class ReadyJobs {

    /** The jobs of one priority. */
    private static final class Line {
        /** Jobs in increasing sequence: the common case. */
        final ArrayDeque<MemoryJob> inOrder = new ArrayDeque<>();
        /** Jobs that came older than the last of {@link #inOrder}; usually empty. */
        final PriorityQueue<MemoryJob> late = new PriorityQueue<>(MemoryJob.READY_ORDER);

        void add(MemoryJob job) {
            MemoryJob last = inOrder.peekLast();
            if (last == null || last.sequence() < job.sequence()) {
                inOrder.addLast(job);
            } else {
                late.add(job);
            }
        }

        MemoryJob peek() {
            MemoryJob head = inOrder.peekFirst();
            MemoryJob lateHead = late.peek();
            if (lateHead == null) {
                return head;
            }
            return head == null || lateHead.sequence() < head.sequence() ? lateHead : head;
        }

        MemoryJob poll() {
            MemoryJob first = peek();
            if (first == inOrder.peekFirst()) {
                inOrder.pollFirst();
            } else {
                late.poll();
            }
            return first;
        }

        boolean isEmpty() {
            return inOrder.isEmpty() && late.isEmpty();
        }

        /** Adds the line's jobs in order to {@code into} until it holds {@code limit}. */
        void first(List<MemoryJob> into, int limit) {
            List<MemoryJob> lateInOrder = new ArrayList<>(late);
            lateInOrder.sort(MemoryJob.READY_ORDER);
            Iterator<MemoryJob> main = inOrder.iterator();
            int l = 0;
            MemoryJob next = main.hasNext() ? main.next() : null;
            while (into.size() < limit && (next != null || l < lateInOrder.size())) {
                if (next == null || l < lateInOrder.size() && lateInOrder.get(l).sequence() < next.sequence()) {
                    into.add(lateInOrder.get(l++));
                } else {
                    into.add(next);
                    next = main.hasNext() ? main.next() : null;
                }
            }
        }

        MemoryJob remove(String id) {
            for (Iterator<MemoryJob> it = inOrder.iterator(); it.hasNext();) {
                MemoryJob job = it.next();
                if (job.id().equals(id)) {
                    it.remove();
                    return job;
                }
            }
            for (MemoryJob job : late) {
                if (job.id().equals(id)) {
                    late.remove(job);
                    return job;
                }
            }
            return null;
        }
    }

    private final TreeMap<Long, Line> lines = new TreeMap<>();
    private int size;

    void add(MemoryJob job) {
        lines.computeIfAbsent(job.priority(), p -> new Line()).add(job);
        size++;
    }

    /** @return the job that comes first, or {@code null} */
    MemoryJob peek() {
        Map.Entry<Long, Line> first = lines.firstEntry();
        return first == null ? null : first.getValue().peek();
    }

    /** @return the job that comes first, removed, or {@code null} */
    MemoryJob poll() {
        Map.Entry<Long, Line> first = lines.firstEntry();
        if (first == null) {
            return null;
        }
        MemoryJob job = first.getValue().poll();
        if (first.getValue().isEmpty()) {
            lines.remove(first.getKey());
        }
        size--;
        return job;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** @return the first jobs in order, at most {@code limit}, leaving them where they are */
    List<MemoryJob> first(int limit) {
        List<MemoryJob> first = new ArrayList<>(Math.min(limit, size));
        for (Line line : lines.values()) {
            if (first.size() >= limit) {
                break;
            }
            line.first(first, limit);
        }
        return first;
    }

    /** @return the job with that id, removed, or {@code null}; a linear search, for an operator's request */
    MemoryJob remove(String id) {
        for (Iterator<Map.Entry<Long, Line>> it = lines.entrySet().iterator(); it.hasNext();) {
            Line line = it.next().getValue();
            MemoryJob job = line.remove(id);
            if (job != null) {
                if (line.isEmpty()) {
                    it.remove();
                }
                size--;
                return job;
            }
        }
        return null;
    }

    /** @return every job, in order, leaving none */
    List<MemoryJob> drain() {
        List<MemoryJob> all = new ArrayList<>(size);
        for (MemoryJob job = poll(); job != null; job = poll()) {
            all.add(job);
        }
        return all;
    }
}
