package org.osgijobs.driver.local.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The jobs one commit stored, as one value of the file's {@code jobs} map: the map's key is the first job's
 * sequence, the value lists each job's sequence (as its distance from the key) and the end of its
 * {@link JobRecord} bytes, then the records one after another. Storing a commit's jobs as one entry, rather than
 * one entry per job, is what makes a job cheap: MVStore copies a B-tree leaf for every put and remove
 * (copy-on-write), which cost more CPU per job than everything else the driver does (see the README).
 * <p>
 * Layout: a format byte ({@link #FORMAT}), the job count {@code n}, {@code n} distances (int, increasing),
 * {@code n} record ends (int, from the start of the records), the records. Immutable once made; a reader refuses
 * bytes that do not follow the layout instead of guessing.
 */
final class JobBatch {
    static final byte FORMAT = 2;
    private static final int HEADER = 1 + 4;

    private final long key;
    private final byte[] bytes;
    private final int count;

    private JobBatch(long key, byte[] bytes, int count) {
        this.key = key;
        this.bytes = bytes;
        this.count = count;
    }

    /**
     * @param sequences the jobs' sequences, increasing; the first is the batch's key
     * @param records   their records' bytes, in the same order
     * @param count     how many of the arrays' elements to use
     */
    static JobBatch of(long[] sequences, byte[][] records, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("a batch holds at least one job");
        }
        long key = sequences[0];
        int size = HEADER + 8 * count;
        for (int i = 0; i < count; i++) {
            size += records[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT).putInt(count);
        long previous = key - 1;
        for (int i = 0; i < count; i++) {
            long distance = sequences[i] - key;
            if (sequences[i] <= previous || distance > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("sequences of a batch must increase, got " + sequences[i]
                        + " after " + previous);
            }
            previous = sequences[i];
            out.putInt((int) distance);
        }
        int end = 0;
        for (int i = 0; i < count; i++) {
            end += records[i].length;
            out.putInt(end);
        }
        for (int i = 0; i < count; i++) {
            out.put(records[i]);
        }
        return new JobBatch(key, out.array(), count);
    }

    /**
     * Reads a batch's header; its records are read one at a time by {@link #record(int)}.
     *
     * @throws IOException when the bytes are not a batch of a known format
     */
    static JobBatch read(long key, byte[] bytes) throws IOException {
        if (bytes.length < HEADER || bytes[0] != FORMAT) {
            throw new IOException(bytes.length == 0 ? "empty batch" : "unknown batch format " + bytes[0]);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int count = in.getInt(1);
        if (count <= 0 || (long) HEADER + 8L * count > bytes.length) {
            throw new IOException("batch of " + count + " jobs does not fit its " + bytes.length + " bytes");
        }
        int recordsStart = HEADER + 8 * count;
        int previousDistance = -1;
        int previousEnd = 0;
        for (int i = 0; i < count; i++) {
            int distance = in.getInt(HEADER + 4 * i);
            int end = in.getInt(HEADER + 4 * count + 4 * i);
            if (distance <= previousDistance || end < previousEnd || recordsStart + (long) end > bytes.length) {
                throw new IOException("malformed batch header at job " + i);
            }
            previousDistance = distance;
            previousEnd = end;
        }
        return new JobBatch(key, bytes, count);
    }

    long key() {
        return key;
    }

    byte[] bytes() {
        return bytes;
    }

    int count() {
        return count;
    }

    long sequence(int index) {
        return key + ByteBuffer.wrap(bytes).getInt(HEADER + 4 * index);
    }

    /** @return the index of the job with this sequence, or a negative number when the batch does not hold it */
    int indexOf(long sequence) {
        long distance = sequence - key;
        if (distance < 0 || distance > Integer.MAX_VALUE) {
            return -1;
        }
        int low = 0;
        int high = count - 1;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int at = in.getInt(HEADER + 4 * middle);
            if (at < distance) {
                low = middle + 1;
            } else if (at > distance) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /** @return a copy of the bytes of the job at {@code index}: a record, as {@link JobRecord#toBytes()} made it */
    byte[] recordBytes(int index) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int recordsStart = HEADER + 8 * count;
        int start = index == 0 ? 0 : in.getInt(HEADER + 4 * count + 4 * (index - 1));
        int end = in.getInt(HEADER + 4 * count + 4 * index);
        return Arrays.copyOfRange(bytes, recordsStart + start, recordsStart + end);
    }

    /**
     * @throws IOException when the job's bytes are not a record of a known format
     */
    JobRecord record(int index) throws IOException {
        return JobRecord.fromBytes(sequence(index), recordBytes(index));
    }
}
