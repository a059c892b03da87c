package org.osgijobs.driver.kafka.internal;

import java.util.ArrayDeque;

import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition as the poll thread sees it: the received jobs waiting for room in the runtime's queue, how
 * many are dispatched and not settled, and the {@link OffsetTracker} that decides what may be committed. Only the
 * poll thread touches it, except {@link #owned}, which a settling worker reads.
 */
final class Lane {
    final TopicPartition partition;
    final OffsetTracker offsets = new OffsetTracker();
    final ArrayDeque<KafkaJob> waiting = new ArrayDeque<>();
    /** Jobs handed to the runtime's queue and not settled yet. */
    int dispatched;
    /** Whether the consumer fetches this partition now (false while the lane is full or the pipeline paused). */
    boolean fetching = true;
    /** False once the partition was revoked or lost, or the driver stopped: acks can no longer be committed. */
    volatile boolean owned = true;

    Lane(TopicPartition partition) {
        this.partition = partition;
    }

    @Override
    public String toString() {
        return partition.toString();
    }
}
