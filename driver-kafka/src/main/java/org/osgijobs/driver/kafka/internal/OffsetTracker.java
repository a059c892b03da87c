package org.osgijobs.driver.kafka.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The offsets of one partition that this consumer received, and which of them are settled (acknowledged, requeued
 * with the copy acknowledged by Kafka, rejected). {@link #committable()} is the offset a commit may name: the first
 * received offset not yet settled, so that a restart never skips an unfinished job; or, when everything received is
 * settled, the offset after the last one. Offsets arrive in increasing order (Kafka's fetch order) and may have gaps
 * (compaction, transaction markers). Not thread-safe: one thread (the poll thread) owns it.
 */
final class OffsetTracker {
    private final ArrayDeque<Long> unsettledInOrder = new ArrayDeque<>();
    private final Set<Long> settledAhead = new HashSet<>();
    private long next = -1;
    private long lastCommitted = -1;

    /**
     * Records a received offset.
     *
     * @param offset the record's offset
     * @return {@code false} when it is not above every offset received before (a record fetched again after the
     *         consumer reset its position): the caller skips it, it is tracked already
     */
    boolean received(long offset) {
        if (offset < next) {
            return false;
        }
        unsettledInOrder.addLast(offset);
        next = offset + 1;
        return true;
    }

    /**
     * Records that the job at an offset is settled. Settling an offset never received, or twice, does nothing.
     *
     * @param offset the offset
     */
    void settled(long offset) {
        if (unsettledInOrder.isEmpty() || offset < unsettledInOrder.peekFirst() || offset >= next) {
            return;
        }
        if (offset == unsettledInOrder.peekFirst()) {
            unsettledInOrder.pollFirst();
            while (!unsettledInOrder.isEmpty() && settledAhead.remove(unsettledInOrder.peekFirst())) {
                unsettledInOrder.pollFirst();
            }
        } else {
            settledAhead.add(offset);
        }
    }

    /** @return the offset a commit may name, or {@code -1} when nothing was received */
    long committable() {
        if (next < 0) {
            return -1;
        }
        return unsettledInOrder.isEmpty() ? next : unsettledInOrder.peekFirst();
    }

    /** @return the number of received offsets not settled yet */
    int unsettled() {
        return unsettledInOrder.size() - settledAhead.size();
    }

    /**
     * @return the offset to commit when it moved since the last {@link #committed(long)}, or {@code -1} when there
     *         is nothing new to commit
     */
    long toCommit() {
        long c = committable();
        return c > lastCommitted ? c : -1;
    }

    /** @param offset the offset a commit named, once it succeeded */
    void committed(long offset) {
        lastCommitted = Math.max(lastCommitted, offset);
    }
}
