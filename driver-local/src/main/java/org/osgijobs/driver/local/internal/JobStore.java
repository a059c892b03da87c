package org.osgijobs.driver.local.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.handler.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of one local pipeline, an H2 MVStore with two maps: {@code jobs} (sequence → {@link JobRecord} bytes:
 * every job not yet acknowledged, ready, delayed or running) and {@code taken} (the sequences of jobs a worker took
 * and has not settled). Changes are made in memory and reach the file with {@link #commit(boolean)}; a commit is
 * atomic (MVStore writes a new chunk and then points at it), so a crash leaves the file as of the last commit.
 * <p>
 * Thread-safe: MVStore's maps take concurrent writers, and commits are serialised by MVStore itself.
 */
final class JobStore implements AutoCloseable {
    static final String JOBS = "jobs";
    static final String TAKEN = "taken";
    /** The layout version kept in the store's header; a file of another version is refused, not rewritten. */
    static final int LAYOUT = 1;

    /**
     * How long MVStore keeps chunks it no longer needs before it reuses their space (its default, 45 s, lets a file
     * under a steady 30,000 jobs/s grow by hundreds of megabytes). A commit forced to disk within this time keeps a
     * crash of the machine from finding a chunk reused under its last version: {@link GroupCommit} sees to that.
     */
    static final int RETENTION_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    private final Path file;
    private final MVStore store;
    private final MVMap<Long, byte[]> jobs;
    private final MVMap<Long, Boolean> taken;
    private long nextSequence;
    private final java.util.concurrent.atomic.AtomicLong forces = new java.util.concurrent.atomic.AtomicLong();

    private JobStore(Path file, MVStore store) {
        this.file = file;
        this.store = store;
        this.jobs = store.openMap(JOBS);
        this.taken = store.openMap(TAKEN);
        Long last = jobs.lastKey();
        this.nextSequence = last == null ? 1 : last + 1;
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
        if (!Set.of(JOBS, TAKEN).containsAll(maps)) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "is an MVStore file but not a job store "
                    + "(it holds " + maps + "); name another file");
        }
        if (store.getStoreVersion() != LAYOUT) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "has job store layout "
                    + store.getStoreVersion() + ", this driver reads layout " + LAYOUT);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Reads every job of the file, at the start of a driver. Jobs that were taken by a worker and never settled
     * (the runtime stopped or crashed while they ran) go back to ready with their attempt counted, and the file is
     * committed and forced so that the count holds.
     *
     * @return the jobs, in sequence order, and how many were taken
     */
    Recovered recover() {
        List<JobRecord> records = new ArrayList<>(jobs.size());
        int wereRunning = 0;
        int unreadable = 0;
        for (Map.Entry<Long, byte[]> entry : jobs.entrySet()) {
            JobRecord record;
            try {
                record = JobRecord.fromBytes(entry.getKey(), entry.getValue());
            } catch (IOException e) {
                unreadable++;
                LOG.error("{}: job {} cannot be read and stays in the file: {}", file, entry.getKey(),
                        e.getMessage());
                continue;
            }
            if (taken.containsKey(entry.getKey())) {
                record = record.withHeaders(withNextAttempt(record.message().headers()));
                jobs.put(record.sequence(), record.toBytes());
                wereRunning++;
            }
            records.add(record);
        }
        taken.clear();
        commit(true);
        return new Recovered(records, wereRunning, unreadable);
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

    /** @return the sequence for the next job stored; callers hold the driver's lock */
    long nextSequence() {
        return nextSequence++;
    }

    void put(JobRecord record) {
        jobs.put(record.sequence(), record.toBytes());
    }

    /** @return the job, or {@code null} when it is gone or cannot be read (logged) */
    JobRecord read(long sequence) {
        byte[] bytes = jobs.get(sequence);
        if (bytes == null) {
            return null;
        }
        try {
            return JobRecord.fromBytes(sequence, bytes);
        } catch (IOException e) {
            LOG.error("{}: job {} cannot be read and stays in the file: {}", file, sequence, e.getMessage());
            return null;
        }
    }

    void markTaken(long sequence) {
        taken.put(sequence, Boolean.TRUE);
    }

    void remove(long sequence) {
        jobs.remove(sequence);
        taken.remove(sequence);
    }

    int size() {
        return jobs.size();
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
