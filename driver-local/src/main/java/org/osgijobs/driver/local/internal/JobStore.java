package org.osgijobs.driver.local.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.handler.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of one local pipeline, an H2 MVStore with the maps {@code jobs.0} to {@code jobs.3} (the jobs one commit
 * stored, as one {@link JobBatch} keyed by its first job's sequence, in one of them), {@code settled} (for a batch some of whose jobs were
 * acknowledged, rejected or requeued: a bit set of them; a batch whose jobs are all settled is removed) and
 * {@code taken} (the sequences of jobs a worker took and had not settled at a commit). Changes wait in memory and
 * are applied by {@link #apply()} at each commit, then written with {@link #commit(boolean)}; a commit is atomic
 * (MVStore writes a new chunk and then points at it), so a crash leaves the file as of the last commit.
 * <p>
 * Per job, nothing touches a B-tree: a push is added to the next batch, a settlement sets a bit in memory, and a job
 * pushed and settled between two commits is never written at all. Per commit, one batch is put and each batch with
 * new settlements gets its bit set written (or is removed). Keeping one entry per job cost four copy-on-write B-tree
 * updates per job, the largest CPU cost of the driver.
 * <p>
 * Not thread-safe except where said: the driver calls every method under its lock but {@link #commit(boolean)},
 * {@link #forces()} and the closing ones, which the commit thread and the stop call without it (MVStore serialises
 * them). Only keys and bit sets are kept in memory, never the records of the file.
 */
final class JobStore implements AutoCloseable {
    /**
     * How many maps hold the batches. MVStore splits a leaf page above 16 KB, so a batch larger than that sits
     * alone in its leaf; but putting the next batch beside it copies and splits that leaf, and the previous batch
     * was written a second time. A commit's batch goes into a map whose last batch is gone (settled) when there
     * is one, so that under a steady load a batch is written once.
     */
    static final int JOB_MAPS = 4;
    static final String JOBS = "jobs.";
    /** The map of layout 1, so that such a file is named for what it is. */
    private static final String LAYOUT_1_JOBS = "jobs";
    static final String SETTLED = "settled";
    static final String TAKEN = "taken";
    /**
     * The layout version kept in the store's header; a file of another version is refused, not rewritten. Layout 1
     * (one entry per job, before batches) was never released.
     */
    static final int LAYOUT = 2;

    /**
     * How long MVStore keeps chunks it no longer needs before it reuses their space (its default, 45 s, lets a file
     * under a steady 30,000 jobs/s grow by hundreds of megabytes). A commit forced to disk within this time keeps a
     * crash of the machine from finding a chunk reused under its last version: {@link GroupCommit} sees to that.
     */
    static final int RETENTION_MILLIS = 1000;

    /** The value of a spacer entry, see {@link #apply()}; a batch is never empty. */
    private static final byte[] SPACER = new byte[0];

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    private final Path file;
    private final MVStore store;
    private final List<MVMap<Long, byte[]>> jobs = new ArrayList<>(JOB_MAPS);
    private final long[] lastKeys = new long[JOB_MAPS]; // each map's last batch, 0 when it has none
    private final MVMap<Long, byte[]> settled;
    private final MVMap<Long, Boolean> taken;
    private long nextSequence;
    private final AtomicLong forces = new AtomicLong();

    // what is in the file, and what the next apply() writes
    private final TreeMap<Long, StoredBatch> batches = new TreeMap<>();
    private final PendingJobs pending = new PendingJobs();
    private final List<StoredBatch> changed = new ArrayList<>();
    private final Set<Long> marked = new HashSet<>(); // sequences whose taken mark is in the file
    private final List<Long> unmark = new ArrayList<>();
    private int live; // jobs not settled: in batches and pending

    private JobStore(Path file, MVStore store) {
        this.file = file;
        this.store = store;
        for (int i = 0; i < JOB_MAPS; i++) {
            MVMap<Long, byte[]> map = store.openMap(JOBS + i);
            jobs.add(map);
            Long last = map.lastKey();
            lastKeys[i] = last == null ? 0 : last;
            nextSequence = Math.max(nextSequence, afterLast(map));
        }
        this.settled = store.openMap(SETTLED);
        this.taken = store.openMap(TAKEN);
    }

    /** @return a sequence above every job of the map */
    private static long afterLast(MVMap<Long, byte[]> jobs) {
        Long last = jobs.lastKey();
        if (last == null) {
            return 1;
        }
        try {
            JobBatch batch = JobBatch.read(last, jobs.get(last));
            return batch.sequence(batch.count() - 1) + 1;
        } catch (IOException e) {
            return last + 1; // an unreadable batch is never touched: its sequences cannot clash with a new key
        }
    }

    /** @return the index of the map the next batch goes into: one whose last batch is gone if any, else the oldest */
    private int nextMap() {
        int oldest = 0;
        for (int i = 0; i < JOB_MAPS; i++) {
            if (lastKeys[i] == 0 || !batches.containsKey(lastKeys[i])) {
                return i;
            }
            if (lastKeys[i] < lastKeys[oldest]) {
                oldest = i;
            }
        }
        return oldest;
    }

    /**
     * Opens or creates the file. Nothing is written to a file that turns out not to be a job store of this layout.
     *
     * @throws JobsException naming the file and the problem: {@code BAD_INPUT} for a path that cannot hold a store
     *         or a file that is not one, {@code UNAVAILABLE} for a file locked by another process or pipeline
     */
    static JobStore open(String pipeline, Path file) {
        String prefix = "pipeline '" + pipeline + "': file " + file + ": ";
        Path folder = file.getParent();
        if (Files.isDirectory(file)) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "is a folder, not a job store");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "cannot create its folder: "
                    + StoreErrors.describe(e), e);
        }
        if (!Files.exists(file) && !Files.isWritable(folder)) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "cannot be created: the folder "
                    + folder + " is not writable");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "is not writable");
        }
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).open();
            store.setRetentionTime(RETENTION_MILLIS);
        } catch (MVStoreException | IllegalStateException | IllegalArgumentException e) {
            throw StoreErrors.onOpen(prefix, e);
        }
        try {
            checkLayout(prefix, store);
            return new JobStore(file, store);
        } catch (RuntimeException e) {
            store.closeImmediately(); // without writing: the file stays as it was
            throw e instanceof JobsException ? e : StoreErrors.onOpen(prefix, e);
        }
    }

    private static void checkLayout(String prefix, MVStore store) {
        Set<String> maps = store.getMapNames();
        if (maps.isEmpty()) {
            store.setStoreVersion(LAYOUT);
            return;
        }
        if (!maps.stream().allMatch(map -> isOurs(map) || map.equals(LAYOUT_1_JOBS))) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "is an MVStore file but not a job store "
                    + "(it holds " + maps + "); name another file");
        }
        if (store.getStoreVersion() != LAYOUT) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "has job store layout "
                    + store.getStoreVersion() + ", this driver reads layout " + LAYOUT);
        }
    }

    private static boolean isOurs(String map) {
        if (map.equals(SETTLED) || map.equals(TAKEN)) {
            return true;
        }
        for (int i = 0; i < JOB_MAPS; i++) {
            if (map.equals(JOBS + i)) {
                return true;
            }
        }
        return false;
    }

    Path file() {
        return file;
    }

    /**
     * Reads every job of the file, at the start of a driver. Jobs that were taken by a worker and never settled
     * (the runtime stopped or crashed while they ran) go back to ready with their attempt counted, and the file is
     * committed and forced so that the count holds. A batch or a record that cannot be read is logged and left in
     * the file as it is.
     *
     * @return the jobs not settled, in sequence order, and how many were taken
     */
    Recovered recover() {
        List<JobRecord> records = new ArrayList<>();
        int[] counts = new int[2]; // jobs that were running, jobs or batches that cannot be read
        for (int map = 0; map < JOB_MAPS; map++) {
            recover(map, records, counts);
        }
        for (Long key : new ArrayList<>(settled.keySet())) {
            if (batches.containsKey(key)) {
                continue;
            }
            boolean held = false;
            for (MVMap<Long, byte[]> map : jobs) {
                held |= map.containsKey(key);
            }
            if (!held) {
                settled.remove(key);
            }
        }
        taken.clear();
        commit(true);
        records.sort(java.util.Comparator.comparingLong(JobRecord::sequence));
        return new Recovered(records, counts[0], counts[1]);
    }

    /** Reads one map's batches into {@code records} and {@link #batches}, counting into {@code counts}. */
    private void recover(int map, List<JobRecord> records, int[] counts) {
        MVMap<Long, byte[]> jobs = this.jobs.get(map);
        StoredBatch previous = null; // the batch before the entry at hand, if it was kept and has no spacer yet
        for (Map.Entry<Long, byte[]> entry : jobs.entrySet()) {
            long key = entry.getKey();
            if (entry.getValue().length == 0) {
                if (previous != null) {
                    previous.spacer(key);
                } else {
                    jobs.remove(key); // the spacer of a batch that is gone
                }
                previous = null;
                continue;
            }
            previous = null;
            JobBatch batch;
            try {
                batch = JobBatch.read(key, entry.getValue());
            } catch (IOException e) {
                counts[1]++;
                LOG.error("{}: the jobs stored from #{} cannot be read and stay in the file: {}", file, key,
                        e.getMessage());
                continue;
            }
            byte[] bits = settled.get(key);
            BitSet done = bits == null ? new BitSet() : BitSet.valueOf(bits);
            byte[][] rewritten = null;
            int[] distances = new int[batch.count()];
            for (int i = 0; i < batch.count(); i++) {
                long sequence = batch.sequence(i);
                distances[i] = (int) (sequence - key);
                if (done.get(i)) {
                    continue;
                }
                JobRecord record;
                try {
                    record = batch.record(i);
                } catch (IOException e) {
                    counts[1]++; // never settled, so its batch stays in the file with it
                    LOG.error("{}: job #{} cannot be read and stays in the file: {}", file, sequence,
                            e.getMessage());
                    continue;
                }
                if (taken.containsKey(sequence)) {
                    record = record.withHeaders(withNextAttempt(record.message().headers()));
                    if (rewritten == null) {
                        rewritten = new byte[batch.count()][];
                    }
                    rewritten[i] = record.toBytes();
                    counts[0]++;
                }
                records.add(record);
            }
            int open = batch.count() - done.cardinality();
            if (open == 0) {
                jobs.remove(key); // cannot be left by apply(), which removes both at once; tidy up all the same
                settled.remove(key);
                continue;
            }
            if (rewritten != null) {
                long[] sequences = new long[batch.count()];
                for (int i = 0; i < batch.count(); i++) {
                    sequences[i] = batch.sequence(i);
                    if (rewritten[i] == null) {
                        rewritten[i] = batch.recordBytes(i);
                    }
                }
                jobs.put(key, JobBatch.of(sequences, rewritten, batch.count()).bytes());
            }
            previous = new StoredBatch(key, map, distances, done, open);
            batches.put(key, previous);
            live += open;
        }
    }

    /** What {@link #recover()} found. */
    record Recovered(List<JobRecord> jobs, int wereRunning, int unreadable) {
    }

    private static Map<String, List<String>> withNextAttempt(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>(headers);
        int attempt = 1;
        List<String> values = headers.get(JobContext.ATTEMPT_HEADER);
        if (values != null && !values.isEmpty()) {
            try {
                attempt = Math.max(1, Integer.parseInt(values.get(0).trim()));
            } catch (NumberFormatException e) {
                attempt = 1;
            }
        }
        copy.put(JobContext.ATTEMPT_HEADER, List.of(Integer.toString(attempt + 1)));
        return copy;
    }

    /** @return the sequence for the next job stored, which is then {@link #put} before the lock is let go */
    long nextSequence() {
        return nextSequence++;
    }

    /** Adds a job to the next commit's batch. */
    void put(JobRecord record) {
        pending.add(record.sequence(), record.toBytes());
        live++;
    }

    /**
     * Settles a job (acknowledged, rejected, or requeued as a new job): a job not yet written is dropped from the
     * next batch, any other gets its bit set, written by the next {@link #apply()}. A sequence not held is ignored.
     */
    void settle(long sequence) {
        if (marked.remove(sequence)) {
            unmark.add(sequence);
        }
        if (pending.drop(sequence)) {
            live--;
            return;
        }
        Map.Entry<Long, StoredBatch> holder = batches.floorEntry(sequence);
        if (holder != null && holder.getValue().settle(sequence)) {
            live--;
            if (holder.getValue().changed()) {
                changed.add(holder.getValue());
            }
        }
    }

    /** @return the job, or {@code null} when it is gone or cannot be read (logged) */
    JobRecord read(long sequence) {
        byte[] bytes = pending.bytes(sequence);
        try {
            if (bytes != null) {
                return JobRecord.fromBytes(sequence, bytes);
            }
            Map.Entry<Long, StoredBatch> holder = batches.floorEntry(sequence);
            byte[] stored = holder == null ? null : jobs.get(holder.getValue().map()).get(holder.getKey());
            if (stored == null) {
                return null;
            }
            JobBatch batch = JobBatch.read(holder.getKey(), stored);
            int index = batch.indexOf(sequence);
            return index < 0 ? null : batch.record(index);
        } catch (IOException e) {
            LOG.error("{}: job #{} cannot be read and stays in the file: {}", file, sequence, e.getMessage());
            return null;
        }
    }

    /** Marks a job a worker took, in the file's {@code taken} map (in memory until the next commit). */
    void markTaken(long sequence) {
        taken.put(sequence, Boolean.TRUE);
        marked.add(sequence);
    }

    /**
     * Puts what waits in memory into the maps, for the commit about to run: the pending jobs as one batch, the bit
     * sets of batches with new settlements (or their removal once all are settled), the taken marks of settled jobs
     * removed. In-memory map operations only (MVStore writes nothing before {@link #commit(boolean)}).
     */
    void apply() {
        JobBatch batch = pending.toBatch();
        if (batch != null) {
            int map = nextMap();
            jobs.get(map).put(batch.key(), batch.bytes());
            lastKeys[map] = batch.key();
            StoredBatch stored = new StoredBatch(batch.key(), map, pending.distances(), new BitSet(), batch.count());
            // a tiny entry after the batch, so that the next batch put into this map goes into the spacer's leaf
            // rather than the batch's (which MVStore would copy, split and so write a second time); its key is a
            // sequence no job gets
            long spacer = nextSequence();
            jobs.get(map).put(spacer, SPACER);
            stored.spacer(spacer);
            batches.put(batch.key(), stored);
        }
        pending.clear();
        for (StoredBatch one : changed) {
            if (one.open() == 0) {
                jobs.get(one.map()).remove(one.key());
                if (one.spacer() != 0) {
                    jobs.get(one.map()).remove(one.spacer());
                }
                settled.remove(one.key());
                batches.remove(one.key());
            } else {
                settled.put(one.key(), one.settledBits());
            }
            one.written();
        }
        changed.clear();
        for (Long sequence : unmark) {
            taken.remove(sequence);
        }
        unmark.clear();
    }

    /** @return whether {@link #apply()} has anything to put into the maps */
    boolean hasPendingChanges() {
        return !pending.isEmpty() || !changed.isEmpty() || !unmark.isEmpty();
    }

    /** @return the jobs held and not settled: the bound of {@code max_jobs} */
    int size() {
        return live;
    }

    /**
     * Writes the changes made so far to the file (to the operating system), and with {@code force} to the disk.
     *
     * @throws JobsException naming the file and the problem (a full disk, a file gone read-only)
     */
    void commit(boolean force) {
        try {
            store.commit();
            if (force) {
                store.sync();
                forces.incrementAndGet();
            }
        } catch (MVStoreException | IllegalStateException e) {
            throw StoreErrors.onWrite("file " + file + ": ", e);
        }
    }

    /** @return how many times this store forced its file to disk: what the sync policy costs */
    long forces() {
        return forces.get();
    }

    /** Closes the file without writing what is not committed: what a crash leaves (tests) or a failed store needs. */
    void closeWithoutWriting() {
        store.closeImmediately();
    }

    boolean hasUnsavedChanges() {
        return store.hasUnsavedChanges();
    }

    boolean isClosed() {
        return store.isClosed();
    }

    /** Commits, forces and closes the file; after a failure the file is closed without writing. */
    @Override
    public void close() {
        if (store.isClosed()) {
            return;
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.error("{}: closing the job store failed: {}", file, StoreErrors.describe(e));
            store.closeImmediately();
        }
    }
}
