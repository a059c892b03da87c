package org.osgijobs.driver.local.internal;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * What a local driver keeps in memory of the jobs in its file that wait: their keys and order, not their payloads
 * (those stay in the file and are read when a job moves to the runtime). Ready jobs come out by priority, then in the
 * order they became ready; delayed ones by due time. Not thread-safe: the driver's lock guards it.
 */
final class JobIndex {

    /**
     * Waiting jobs whose record is kept in memory too, so that moving them to the runtime reads nothing from the file:
     * the jobs pushed while fewer than this many wait, i.e. whenever the workers keep up. A larger backlog (and
     * what a restart finds in the file) costs memory only for its keys, and its records are read as they move.
     */
    static final int RECORDS_KEPT = 10_000;

    /**
     * One waiting job. Its order changes when it becomes ready after a delay (it queues behind ready jobs); its
     * record is kept only while few jobs wait.
     */
    static final class Entry {
        final long sequence;
        final long priority;
        final long dueMillis;
        final JobRecord record;
        long order;

        Entry(long sequence, long priority, long dueMillis, long order, JobRecord record) {
            this.sequence = sequence;
            this.priority = priority;
            this.dueMillis = dueMillis;
            this.order = order;
            this.record = record;
        }
    }

    private static final Comparator<Entry> READY = Comparator.<Entry>comparingLong(e -> e.priority)
            .thenComparingLong(e -> e.order);
    private static final Comparator<Entry> DUE = Comparator.<Entry>comparingLong(e -> e.dueMillis)
            .thenComparingLong(e -> e.order);

    private final TreeSet<Entry> ready = new TreeSet<>(READY);
    private final TreeSet<Entry> delayed = new TreeSet<>(DUE);
    private long nextOrder;

    /** Adds a job in the order it is stored: delayed when it has a due time still to come. */
    Entry add(JobRecord record, long nowMillis) {
        boolean keep = ready.size() + delayed.size() < RECORDS_KEPT;
        Entry entry = new Entry(record.sequence(), record.priority(), record.dueMillis(), nextOrder++,
                keep ? record : null);
        if (record.dueMillis() > nowMillis) {
            delayed.add(entry);
        } else {
            ready.add(entry);
        }
        return entry;
    }

    /** Puts back a ready job that was withdrawn from the runtime's queue: it keeps its place. */
    void putBack(Entry entry) {
        ready.add(entry);
    }

    Entry firstReady() {
        return ready.isEmpty() ? null : ready.first();
    }

    void removeReady(Entry entry) {
        ready.remove(entry);
    }

    /** @return the due time of the earliest delayed job, or {@link Long#MAX_VALUE} when none is delayed */
    long nextDue() {
        return delayed.isEmpty() ? Long.MAX_VALUE : delayed.first().dueMillis;
    }

    /** Moves the delayed jobs due by {@code nowMillis} to ready, behind the jobs of their priority ready now. */
    int releaseDue(long nowMillis) {
        int released = 0;
        while (!delayed.isEmpty() && delayed.first().dueMillis <= nowMillis) {
            Entry due = delayed.pollFirst();
            due.order = nextOrder++;
            ready.add(due);
            released++;
        }
        return released;
    }

    int readyCount() {
        return ready.size();
    }

    int delayedCount() {
        return delayed.size();
    }
}
