package org.osgijobs.benchmarks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The least a database queue does, with plain JDBC (pgjdbc) on its own connections: the producer inserts rows of the
 * same shape as driver-jdbc's table (same columns, same indexes) in JDBC batches of {@code insertBatch}, one
 * transaction each ({@code reWriteBatchedInserts}, as the driver's pool has); {@code consumers} threads each claim up
 * to {@code claimBatch} ready rows in one statement ({@code SELECT … ORDER BY priority, run_at, id LIMIT n FOR UPDATE
 * SKIP LOCKED} then {@code UPDATE … SET locked_by, locked_until … RETURNING}, the driver's claim), run the same
 * {@link JobWork} on each and delete the claimed rows in one statement. A consumer that found nothing waits for the
 * producer's next commit (an in-process signal, as LISTEN/NOTIFY is for the driver), without polling. No headers, no leases
 * renewed, no attempts, no state counts, no pool.
 */
final class PlainJdbcBaseline implements AutoCloseable {
    static final String TABLE = "plain_jobs";

    private final String url;
    private final String user;
    private final int insertBatch;
    private final int claimBatch;
    private final Connection producer;
    private final List<Connection> consumerConnections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object signal = new Object();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile JobWork work = JobWork.NONE;
    private volatile boolean closed;
    private long commits; // guarded by signal

    /**
     * Creates the table (in the URL's schema) and starts the consumers.
     *
     * @param url         a PostgreSQL URL, with {@code currentSchema}
     * @param user        its user (trust authentication: no password)
     * @param insertBatch rows per insert transaction
     * @param claimBatch  rows per claim
     * @param consumers   claiming threads, each with its connection
     */
    PlainJdbcBaseline(String url, String user, int insertBatch, int claimBatch, int consumers) throws SQLException {
        this.url = url;
        this.user = user;
        this.insertBatch = insertBatch;
        this.claimBatch = claimBatch;
        this.producer = connect();
        try (Statement s = producer.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id BIGSERIAL PRIMARY KEY, pipeline TEXT NOT NULL, job_id TEXT NOT"
                    + " NULL, name TEXT NOT NULL, priority BIGINT NOT NULL, run_at TIMESTAMPTZ NOT NULL, payload BYTEA"
                    + " NOT NULL, headers TEXT NOT NULL, auto_ack BOOLEAN NOT NULL, attempt INTEGER NOT NULL DEFAULT"
                    + " 1, locked_by TEXT, locked_until TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            s.execute("CREATE INDEX " + TABLE + "_claim ON " + TABLE + " (pipeline, priority, run_at, id)");
            s.execute("CREATE INDEX " + TABLE + "_locked ON " + TABLE + " (locked_by) WHERE locked_by IS NOT NULL");
        }
        producer.setAutoCommit(false);
        for (int i = 0; i < consumers; i++) {
            Connection c = connect();
            consumerConnections.add(c);
            String name = "baseline-jdbc-consumer-" + i;
            Thread t = HandOffBaseline.daemon(name).newThread(() -> consume(c, name));
            threads.add(t);
            t.start();
        }
    }

    private Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        props.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, props);
    }

    /** Sets what the next jobs do. */
    void use(JobWork next) {
        this.work = next;
    }

    /**
     * Inserts the jobs, {@code insertBatch} rows per transaction; each payload is stamped as its row is made.
     *
     * @throws IllegalStateException when a consumer failed
     */
    void pushAll(String pipeline, String name, int jobs) throws SQLException {
        try (PreparedStatement insert = producer.prepareStatement("INSERT INTO " + TABLE + " (pipeline, job_id,"
                + " name, priority, run_at, payload, headers, auto_ack) VALUES (?, ?, ?, ?, now(), ?, '{}', false)")) {
            int inBatch = 0;
            for (int i = 0; i < jobs; i++) {
                insert.setString(1, pipeline);
                insert.setString(2, Integer.toString(i));
                insert.setString(3, name);
                insert.setLong(4, 10);
                insert.setBytes(5, Payloads.stampedNow(0));
                insert.addBatch();
                if (++inBatch == insertBatch || i == jobs - 1) {
                    insert.executeBatch();
                    producer.commit();
                    inBatch = 0;
                    synchronized (signal) {
                        commits++;
                        signal.notifyAll();
                    }
                }
            }
        }
        checkFailure();
    }

    void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the plain JDBC baseline failed: " + t, t);
        }
    }

    private void consume(Connection c, String name) {
        String claim = "WITH c AS (SELECT id FROM " + TABLE + " WHERE pipeline = ? AND run_at <= now() AND"
                + " (locked_until IS NULL OR locked_until < now()) ORDER BY priority, run_at, id LIMIT " + claimBatch
                + " FOR UPDATE SKIP LOCKED) UPDATE " + TABLE + " t SET locked_by = ?, locked_until = now() +"
                + " interval '60 seconds' FROM c WHERE t.id = c.id RETURNING t.id, t.payload";
        try (PreparedStatement claimSt = c.prepareStatement(claim);
                PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ANY(?)")) {
            List<Long> ids = new ArrayList<>(claimBatch);
            while (!closed) {
                long seen;
                synchronized (signal) {
                    seen = commits;
                }
                ids.clear();
                claimSt.setString(1, JdbcScenario.PIPELINE);
                claimSt.setString(2, name);
                try (ResultSet rs = claimSt.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        work.run(rs.getBytes(2), System.nanoTime());
                    }
                }
                if (ids.isEmpty()) {
                    // nothing new until the producer's next commit: no polling, so that an idle baseline does not
                    // load the database while the other sides run their rounds
                    synchronized (signal) {
                        while (commits == seen && !closed) {
                            signal.wait();
                        }
                    }
                    continue;
                }
                Array array = c.createArrayOf("bigint", ids.toArray());
                delete.setArray(1, array);
                delete.executeUpdate();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (SQLException e) {
            if (!closed) {
                failure.compareAndSet(null, e);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection c : consumerConnections) {
            c.close();
        }
        producer.close();
    }
}
