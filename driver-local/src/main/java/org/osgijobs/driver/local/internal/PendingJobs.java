package org.osgijobs.driver.local.internal;

import java.util.Arrays;

/**
 * The jobs pushed since the last commit: their sequences (increasing) and record bytes, in memory until
 * {@link JobStore#apply()} turns them into one {@link JobBatch}. A job settled before that is dropped and never
 * written. Not thread-safe: the driver's lock guards it.
 */
final class PendingJobs {
    private long[] sequences = new long[256];
    private byte[][] records = new byte[256][];
    private int size;
    private int dropped;

    void add(long sequence, byte[] record) {
        if (size > 0 && sequence <= sequences[size - 1]) {
            throw new IllegalStateException("job #" + sequence + " stored after #" + sequences[size - 1]);
        }
        if (size == sequences.length) {
            sequences = Arrays.copyOf(sequences, size * 2);
            records = Arrays.copyOf(records, size * 2);
        }
        sequences[size] = sequence;
        records[size] = record;
        size++;
    }

    /** @return whether the job was pending (it is dropped now) */
    boolean drop(long sequence) {
        int index = indexOf(sequence);
        if (index < 0 || records[index] == null) {
            return false;
        }
        records[index] = null;
        dropped++;
        return true;
    }

    /** @return the job's record bytes, or {@code null} when it is not pending */
    byte[] bytes(long sequence) {
        int index = indexOf(sequence);
        return index < 0 ? null : records[index];
    }

    boolean isEmpty() {
        return size == dropped;
    }

    /** @return the jobs not dropped, as one batch, or {@code null} when there are none */
    JobBatch toBatch() {
        if (isEmpty()) {
            return null;
        }
        compact();
        return JobBatch.of(sequences, records, size);
    }

    /** @return each kept job's sequence minus the first one's; call after {@link #toBatch()} */
    int[] distances() {
        int[] distances = new int[size];
        for (int i = 0; i < size; i++) {
            distances[i] = (int) (sequences[i] - sequences[0]);
        }
        return distances;
    }

    void clear() {
        Arrays.fill(records, 0, size, null);
        size = 0;
        dropped = 0;
    }

    private void compact() {
        if (dropped == 0) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (records[i] != null) {
                sequences[kept] = sequences[i];
                records[kept] = records[i];
                kept++;
            }
        }
        Arrays.fill(records, kept, size, null);
        size = kept;
        dropped = 0;
    }

    private int indexOf(long sequence) {
        if (size == 0 || sequence < sequences[0] || sequence > sequences[size - 1]) {
            return -1;
        }
        int index = Arrays.binarySearch(sequences, 0, size, sequence);
        return index;
    }
}
