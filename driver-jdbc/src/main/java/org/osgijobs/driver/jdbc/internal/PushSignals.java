package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the pipelines of this runtime when any runtime pushed into them: one thread and one connection of its own
 * (outside the pool) that listens to the table's push signals ({@code LISTEN/NOTIFY} on PostgreSQL). Polling stays
 * the fallback: while the connection is down (retried every few seconds), pipelines see pushes of other runtimes at
 * their next poll.
 */
final class PushSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushSignals.class);
    private static final int WAIT_MILLIS = 500;
    private static final long RETRY_MILLIS = 3_000;

    private final DataSource source;
    private final Dialect dialect;
    private final String table;
    private final String database;
    private final Map<String, Set<Runnable>> wakes = new ConcurrentHashMap<>();
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    PushSignals(DataSource source, Dialect dialect, String table, String database) {
        this.source = source;
        this.dialect = dialect;
        this.table = table;
        this.database = database;
        this.thread = new Thread(this::run, "jobs-jdbc-signals-" + table);
        thread.setDaemon(true);
    }

    /**
     * Starts listening, unless the database has no signals, and waits a little for it: a pipeline built afterwards
     * is woken by every push that commits after its build (past the wait, it polls until the connection is there).
     */
    void start(long waitMillis) {
        if (dialect.listen(table) == null) {
            return;
        }
        thread.start();
        try {
            listening.await(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param wake called on this class's thread when the pipeline got a push; must not block */
    void register(String pipeline, Runnable wake) {
        wakes.computeIfAbsent(pipeline, p -> ConcurrentHashMap.newKeySet()).add(wake);
    }

    void unregister(String pipeline, Runnable wake) {
        wakes.computeIfPresent(pipeline, (p, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    private void run() {
        boolean failedBefore = false;
        while (!closed) {
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute(dialect.listen(table));
                listening.countDown();
                if (failedBefore) {
                    LOG.info("jdbc driver: listening for pushes in {} again", database);
                    failedBefore = false;
                }
                while (!closed) {
                    for (String pipeline : dialect.awaitSignals(c, WAIT_MILLIS)) {
                        Set<Runnable> toWake = wakes.get(pipeline);
                        if (toWake != null) {
                            toWake.forEach(Runnable::run);
                        }
                    }
                }
            } catch (LinkageError e) {
                // pgjdbc's API is not wired to this bundle (it resolved before pgjdbc was installed): refresh it
                LOG.warn("jdbc driver: cannot listen for pushes in {}: the database driver's API is not visible to"
                        + " this bundle ({}); pipelines poll. Refresh the driver-jdbc bundle to wire it.", database,
                        e.toString());
                return;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failedBefore) {
                    LOG.warn("jdbc driver: cannot listen for pushes in {} ({}); pipelines poll until it can",
                            database, Database.reason(e));
                    failedBefore = true;
                }
                try {
                    Thread.sleep(RETRY_MILLIS); // its own thread, no lock held: a retry delay, not a synchronisation
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
