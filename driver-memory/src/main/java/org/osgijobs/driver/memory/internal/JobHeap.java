package org.osgijobs.driver.memory.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An unbounded heap of jobs in a fixed order; not thread-safe (the driver's lock guards it). It gives its array
 * back once it has been drained after holding many jobs, so a backlog of millions does not pin memory for good.
 */
final class JobHeap {
    private static final int SHRINK_AFTER = 1 << 16;

    private final Comparator<MemoryJob> order;
    private PriorityQueue<MemoryJob> heap;
    private int highWater;

    JobHeap(Comparator<MemoryJob> order) {
        this.order = order;
        this.heap = new PriorityQueue<>(order);
    }

    void add(MemoryJob job) {
        heap.add(job);
        if (heap.size() > highWater) {
            highWater = heap.size();
        }
    }

    MemoryJob peek() {
        return heap.peek();
    }

    MemoryJob poll() {
        MemoryJob job = heap.poll();
        if (heap.isEmpty() && highWater > SHRINK_AFTER) {
            reset();
        }
        return job;
    }

    boolean isEmpty() {
        return heap.isEmpty();
    }

    int size() {
        return heap.size();
    }

    /** @return the first jobs in order, at most {@code limit}, leaving the heap as it is */
    List<MemoryJob> first(int limit) {
        List<MemoryJob> all = new ArrayList<>(heap);
        all.sort(order);
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** @return the job with that id, removed, or {@code null} */
    MemoryJob remove(String id) {
        for (MemoryJob job : heap) {
            if (job.id().equals(id)) {
                heap.remove(job);
                return job;
            }
        }
        return null;
    }

    /** @return every job, in order, leaving the heap empty */
    List<MemoryJob> drain() {
        List<MemoryJob> all = new ArrayList<>(heap);
        all.sort(order);
        reset();
        return all;
    }

    private void reset() {
        heap = new PriorityQueue<>(order);
        highWater = 0;
    }
}
