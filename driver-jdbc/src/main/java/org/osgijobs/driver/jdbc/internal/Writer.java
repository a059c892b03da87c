package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

/**
 * The threads that write a pipeline's rows: pushes (inserts) and settlements (deletes, requeues, releases of claimed
 * rows that did not run). The main writer puts whatever waits of both into one transaction; a second thread, on a
 * connection of its own, writes the settlements that waited more than {@value #ASIDE_MILLIS} ms behind a transaction
 * of the main writer (a slow insert), so that inserts never hold back the settlements that free prefetch slots for
 * long, while a steady load still commits both together. Whatever piles up while a transaction runs goes into the next one, as JDBC batches
 * (pgjdbc sends the inserts as multi-row inserts), so no producer or worker thread waits on the database and the
 * number of transactions adapts to the load. A push completes when the transaction holding it committed.
 * <p>
 * A failed transaction fails its pushes (their producers are told) and keeps its settlements for the next one: the
 * rows stay leased meanwhile, and a settlement never written only means the job runs again after its lease.
 */
final class Writer {
    static final int MAX_BATCH = 1_000;
    /** How long settlements wait for a busy main writer before the settlement thread writes them on its own. */
    static final long ASIDE_MILLIS = 20;
    private static final long RETRY_MILLIS = 1_000;

    /** What the driver learns of each transaction. Called on a writer thread, under no lock of the writer. */
    interface Listener {
        /**
         * @param freed    the ids of claimed rows no longer held by this runtime (settled or released), committed
         * @param inserted whether new rows were committed
         */
        void written(List<Long> freed, boolean inserted);

        /** A transaction failed; the next may succeed. */
        void writeFailed(JobsException failure);
    }

    private sealed interface Op permits Insert, Settle {
    }

    private record Insert(Message message, long priority, CompletableFuture<Void> done) implements Op {
    }

    /** A delete, a delete kept in the done table ({@code keep_done}), an in-place requeue, or a release. */
    private record Settle(long rowId, Kind kind, int delay, String headers, int attempt) implements Op {
    }

    enum Kind {
        DELETE, DONE, REQUEUE, RELEASE
    }

    private final Database db;
    private final String pipeline;
    private final String lockedBy;
    private final int timeoutSeconds;
    private final Listener listener;
    private final Thread inserter;
    private final Thread settler;

    // guarded by this; each drained by its own thread
    private final ArrayDeque<Insert> pendingInserts = new ArrayDeque<>();
    private final ArrayDeque<Settle> pendingSettles = new ArrayDeque<>();
    private boolean closing;
    private boolean halted;
    private boolean busy; // the main writer runs a transaction

    Writer(Database db, String pipeline, String lockedBy, int timeoutSeconds, Listener listener) {
        this.db = db;
        this.pipeline = pipeline;
        this.lockedBy = lockedBy;
        this.timeoutSeconds = timeoutSeconds;
        this.listener = listener;
        this.inserter = new Thread(() -> run(true), "jobs-jdbc-writer-" + pipeline);
        this.settler = new Thread(() -> run(false), "jobs-jdbc-settlements-" + pipeline);
        inserter.setDaemon(true);
        settler.setDaemon(true);
    }

    void start() {
        inserter.start();
        settler.start();
    }

    /** @return completes when the row is committed, or exceptionally naming the database */
    CompletableFuture<Void> insert(Message message, long priority) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closing) {
                done.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                        + "': the jdbc driver is stopped"));
                return done;
            }
            pendingInserts.add(new Insert(message, priority, done));
            notifyAll();
        }
        return done;
    }

    /** @return whether the settlement was taken (not after {@link #close}) */
    boolean delete(long rowId) {
        return add(new Settle(rowId, Kind.DELETE, 0, null, 0));
    }

    /** A delete that keeps a copy of the row in the done table first ({@code keep_done}). */
    boolean done(long rowId) {
        return add(new Settle(rowId, Kind.DONE, 0, null, 0));
    }

    boolean requeue(long rowId, int delay, String headers, int attempt) {
        return add(new Settle(rowId, Kind.REQUEUE, delay, headers, attempt));
    }

    boolean release(long rowId) {
        return add(new Settle(rowId, Kind.RELEASE, 0, null, 0));
    }

    private synchronized boolean add(Settle op) {
        if (closing) {
            return false;
        }
        pendingSettles.add(op);
        notifyAll();
        return true;
    }

    /** Writes what is pending, then ends the threads; waits for them up to the given time. */
    void close(long timeout, TimeUnit unit) throws InterruptedException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        inserter.join(Math.max(1, unit.toMillis(timeout)));
        settler.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    /** What a crash leaves: nothing more is written; pushes not yet committed fail. For tests. */
    void halt() {
        List<Op> dropped;
        synchronized (this) {
            closing = true;
            halted = true;
            dropped = new ArrayList<>(pendingInserts);
            pendingInserts.clear();
            pendingSettles.clear();
            notifyAll();
        }
        JobsException gone = new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                + "': the jdbc driver crashed");
        dropped.forEach(op -> {
            if (op instanceof Insert insert) {
                insert.done.completeExceptionally(gone);
            }
        });
    }

    /**
     * The loop of the main writer ({@code main}: everything that waits goes into one transaction, settlements first)
     * or of the settlement thread (only settlements that waited {@value #ASIDE_MILLIS} ms while a transaction of the
     * main writer ran, i.e. behind a slow insert).
     */
    private void run(boolean main) {
        while (true) {
            List<Op> batch = new ArrayList<>();
            synchronized (this) {
                if (main) {
                    while (!closing && pendingInserts.isEmpty() && pendingSettles.isEmpty()) {
                        if (!await(0)) {
                            break;
                        }
                    }
                    if (halted || closing && pendingInserts.isEmpty() && pendingSettles.isEmpty()) {
                        return;
                    }
                } else if (!settlementsHeldBack()) {
                    if (halted || closing) {
                        return; // the main writer writes what is left
                    }
                    continue;
                }
                while (!pendingSettles.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(pendingSettles.poll());
                }
                int inserts = 0;
                while (main && !pendingInserts.isEmpty() && inserts++ < MAX_BATCH) {
                    batch.add(pendingInserts.poll());
                }
                if (main) {
                    busy = true;
                }
            }
            write(batch, main);
        }
    }

    /**
     * Waits until settlements have waited {@value #ASIDE_MILLIS} ms while the main writer was busy. Lock held.
     *
     * @return whether they have (else look again, or end when closing)
     */
    private boolean settlementsHeldBack() {
        while (!closing && (pendingSettles.isEmpty() || !busy)) {
            if (!await(0)) {
                return false;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ASIDE_MILLIS);
        while (!closing && busy && !pendingSettles.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return true;
            }
            if (!await(left)) {
                return false;
            }
        }
        return false;
    }

    /** @return {@code false} when interrupted (then closing). Lock held. */
    private boolean await(long millis) {
        try {
            wait(millis);
            return true;
        } catch (InterruptedException e) {
            closing = true;
            return false;
        }
    }

    private void write(List<Op> batch, boolean main) {
        try {
            List<Long> freed = write(batch);
            boolean inserted = false;
            for (Op op : batch) {
                if (op instanceof Insert insert) {
                    insert.done.complete(null);
                    inserted = true;
                }
            }
            listener.written(freed, inserted);
        } catch (SQLException e) {
            failed(batch, db.error("cannot write to the table " + db.table(), e));
        } catch (JobsException e) {
            failed(batch, e); // the table could not be set up: the database was away when the driver was built
        } catch (RuntimeException e) {
            failed(batch, new JobsException(JobsException.Kind.UNAVAILABLE, "database " + db.describe()
                    + ": cannot write to the table " + db.table() + ": " + e, e));
        } finally {
            if (main) {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    private void failed(List<Op> batch, JobsException cause) {
        JobsException refused = new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': "
                + cause.getMessage(), cause.getCause());
        List<Settle> kept = new ArrayList<>();
        for (Op op : batch) {
            if (op instanceof Insert insert) {
                insert.done.completeExceptionally(refused);
            } else {
                kept.add((Settle) op);
            }
        }
        listener.writeFailed(refused);
        synchronized (this) {
            if (!closing) {
                for (int i = kept.size() - 1; i >= 0; i--) {
                    pendingSettles.addFirst(kept.get(i));
                }
                try {
                    wait(RETRY_MILLIS); // the database is away: try the settlements again a little later
                } catch (InterruptedException e) {
                    closing = true;
                }
            }
        }
    }

    /** @return the held rows the transaction let go */
    private List<Long> write(List<Op> batch) throws SQLException {
        Dialect dialect = db.dialect();
        String table = db.table();
        List<Long> freed = new ArrayList<>();
        db.ensureSchema(timeoutSeconds); // at once once done
        try (Connection c = db.connection()) {
            try {
                List<Insert> inserts = new ArrayList<>();
                List<Settle> deletes = new ArrayList<>();
                List<Settle> dones = new ArrayList<>();
                List<Settle> requeues = new ArrayList<>();
                List<Settle> releases = new ArrayList<>();
                for (Op op : batch) {
                    if (op instanceof Insert insert) {
                        inserts.add(insert);
                    } else {
                        Settle s = (Settle) op;
                        (switch (s.kind) {
                        case DELETE -> deletes;
                        case DONE -> dones;
                        case REQUEUE -> requeues;
                        case RELEASE -> releases;
                        }).add(s);
                    }
                }
                if (!inserts.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(dialect.insert(table))) {
                        ps.setQueryTimeout(timeoutSeconds);
                        for (Insert insert : inserts) {
                            bindInsert(ps, pipeline, insert.message, insert.priority);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    if (dialect.signal(table) != null
                            && inserts.stream().anyMatch(insert -> insert.message.delay() == 0)) {
                        // delivered at commit to every runtime listening, this one included
                        try (PreparedStatement signal = c.prepareStatement(dialect.signal(table))) {
                            signal.setString(1, pipeline);
                            signal.execute();
                        }
                    }
                }
                settle(c, dialect.archive(table), dones, null); // copied before their delete, below
                deletes.addAll(dones);
                if (!deletes.isEmpty()) {
                    List<Long> ids = new ArrayList<>(deletes.size());
                    deletes.forEach(d -> ids.add(d.rowId));
                    dialect.deleteAll(c, table, ids, lockedBy, timeoutSeconds);
                    freed.addAll(ids);
                }
                settle(c, dialect.requeue(table), requeues, freed);
                settle(c, dialect.release(table), releases, freed);
                c.commit();
                return freed;
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Sets the parameters of {@link Dialect#insert} for one job. */
    static void bindInsert(PreparedStatement ps, String pipeline, Message m, long priority) throws SQLException {
        ps.setString(1, pipeline);
        ps.setString(2, m.id());
        ps.setString(3, m.name());
        ps.setLong(4, priority);
        ps.setDouble(5, m.delay());
        ps.setBytes(6, m.payload());
        ps.setString(7, HeadersJson.write(m.headers()));
        ps.setBoolean(8, m.autoAck());
        ps.setInt(9, Attempts.of(m.headers()));
    }

    /** @param freed collects the rows let go, or {@code null} when the statement does not let them go */
    private void settle(Connection c, String sql, List<Settle> ops, List<Long> freed) throws SQLException {
        if (ops.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            for (Settle s : ops) {
                int i = 1;
                if (s.kind == Kind.REQUEUE) {
                    ps.setDouble(i++, s.delay);
                    ps.setString(i++, s.headers);
                    ps.setInt(i++, s.attempt);
                }
                ps.setLong(i++, s.rowId);
                ps.setString(i, lockedBy);
                ps.addBatch();
            }
            ps.executeBatch(); // a row that another runtime took over (this lease expired) is left to it
        }
        if (freed != null) {
            ops.forEach(op -> freed.add(op.rowId));
        }
    }
}
