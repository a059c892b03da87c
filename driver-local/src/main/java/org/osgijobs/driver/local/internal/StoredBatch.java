package org.osgijobs.driver.local.internal;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What the driver keeps in memory of one {@link JobBatch} in the file: its jobs' sequences (as distances from its
 * key) and which of them are settled, so that a settlement is a bit set here and the file gets the batch's bit set
 * (or loses the batch) at the next commit. Not thread-safe: the driver's lock guards it.
 */
final class StoredBatch {
    private final long key;
    private final int map;
    private final int[] distances;
    private final BitSet settled;
    private int open;
    private long spacer; // the key of the empty entry after the batch in its map, 0 when it has none
    private boolean changed;

    /**
     * @param map       which of the file's job maps holds it
     * @param distances each job's sequence minus {@code key}, increasing
     * @param settled   the jobs settled already, by index
     * @param open      how many are not settled
     */
    StoredBatch(long key, int map, int[] distances, BitSet settled, int open) {
        this.key = key;
        this.map = map;
        this.distances = distances;
        this.settled = settled;
        this.open = open;
    }

    long key() {
        return key;
    }

    int map() {
        return map;
    }

    long spacer() {
        return spacer;
    }

    void spacer(long key) {
        spacer = key;
    }

    int open() {
        return open;
    }

    /** @return whether the job was held and not settled before */
    boolean settle(long sequence) {
        long distance = sequence - key;
        if (distance < 0 || distance > Integer.MAX_VALUE) {
            return false;
        }
        int index = Arrays.binarySearch(distances, (int) distance);
        if (index < 0 || settled.get(index)) {
            return false;
        }
        settled.set(index);
        open--;
        return true;
    }

    /** @return {@code true} the first time it is called after a settlement: the batch is to be written again */
    boolean changed() {
        if (changed) {
            return false;
        }
        changed = true;
        return true;
    }

    void written() {
        changed = false;
    }

    byte[] settledBits() {
        return settled.toByteArray();
    }
}
