package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;
import org.osgijobs.api.JobsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The database of the {@code jobs.jdbc} configuration: a HikariCP pool over the data source that the database's
 * {@link DataSourceFactory} makes, its {@link Dialect}, and the jobs table, created on first use. Shared by all jdbc
 * pipelines of a runtime; closed when the configuration or the driver goes.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ConnectionSettings settings;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final PushSignals signals;
    private final AtomicReference<CompletableFuture<Void>> schema = new AtomicReference<>();

    private Database(ConnectionSettings settings, Dialect dialect, HikariDataSource pool, DataSource unpooled) {
        this.settings = settings;
        this.dialect = dialect;
        this.pool = pool;
        this.signals = new PushSignals(unpooled, dialect, settings.table(), settings.describe());
    }

    /**
     * Builds the pool without connecting: the first connection is made by the first pipeline.
     *
     * @throws JobsException naming the URL (without password) when the database is not supported or the factory
     *         refuses the settings
     */
    static Database open(ConnectionSettings settings, DataSourceFactory factory) {
        Dialect dialect = dialectOf(settings);
        Properties props = new Properties();
        props.putAll(dialect.dataSourceProperties());
        props.setProperty(DataSourceFactory.JDBC_URL, settings.url());
        if (!settings.user().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_USER, settings.user());
        }
        if (!settings.password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, settings.password());
        }
        DataSource source;
        try {
            source = factory.createDataSource(props);
        } catch (SQLException | RuntimeException e) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, ConnectionSettings.PID + ": database "
                    + settings.describe() + ": the JDBC driver refuses the settings: " + e.getMessage(), e);
        }
        return pooled(settings, dialect, source);
    }

    /**
     * Builds the pool, without connecting, over an existing {@code DataSource} service (option
     * {@code datasource.target}): the application's data source, with its own driver settings and credentials.
     */
    static Database open(ConnectionSettings settings, DataSource service) {
        return pooled(settings, dialectOf(settings), service);
    }

    private static Database pooled(ConnectionSettings settings, Dialect dialect, DataSource source) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("jobs-jdbc-" + POOLS.incrementAndGet());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setAutoCommit(false);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(3_000);
        config.setInitializationFailTimeout(-1); // no connection now: the pipelines report a database that is away
        config.setThreadFactory(task -> {
            Thread thread = new Thread(task, "jobs-jdbc-pool");
            thread.setDaemon(true);
            return thread;
        });
        return new Database(settings, dialect, new HikariDataSource(config), source);
    }

    private static Dialect dialectOf(ConnectionSettings settings) {
        if (ConnectionSettings.POSTGRESQL.equals(settings.database())) {
            return new PostgresDialect();
        }
        if (ConnectionSettings.MARIADB.equals(settings.database())) {
            return new MariaDbDialect();
        }
        throw new JobsException(JobsException.Kind.BAD_INPUT, ConnectionSettings.PID + ": database "
                + settings.describe() + " is not supported: only PostgreSQL (jdbc:postgresql:) and MariaDB (jdbc:mariadb:) are");
    }

    /** @return the push signals of the table: started with the first pipeline, closed with the pool */
    PushSignals signals() {
        return signals;
    }

    Dialect dialect() {
        return dialect;
    }

    String table() {
        return settings.table();
    }

    /** @return the URL without password and the user: how messages name the database */
    String describe() {
        return settings.describe();
    }

    /** @return a pooled connection, not in auto-commit mode */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Creates the table on first use (and checks the one that is there), once per pool; a failed attempt is tried
     * again by the next caller. Callers wait at most the given time.
     *
     * @throws JobsException naming the database and what is wrong with it
     */
    void ensureSchema(int timeoutSeconds) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> current = schema.compareAndExchange(null, mine);
        if (current == null) {
            current = mine;
            try {
                createSchema();
                signals.start(2_000);
                mine.complete(null);
            } catch (JobsException e) {
                schema.set(null);
                mine.completeExceptionally(e);
            }
        }
        try {
            current.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (JobsException) e.getCause();
        } catch (TimeoutException e) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "database " + describe() + ": the table "
                    + table() + " was not ready within " + timeoutSeconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "interrupted while the table was set up");
        }
    }

    private void createSchema() {
        String table = table();
        String step = "connect";
        try (Connection c = connection(); Statement s = c.createStatement()) {
            try {
                step = "lock the schema";
                s.execute(dialect.schemaLock(table));
                step = "look for the table " + table + "_version";
                boolean versioned;
                try (ResultSet rs = s.executeQuery(dialect.versionTableExists(table))) {
                    versioned = rs.next() && rs.getBoolean(1);
                }
                int version = 0;
                if (versioned) {
                    step = "read " + table + "_version";
                    try (ResultSet rs = s.executeQuery(dialect.readVersion(table))) {
                        if (rs.next()) {
                            version = rs.getInt(1);
                        }
                    }
                }
                if (version == Dialect.SCHEMA_VERSION) {
                    // created already (by a runtime or a DBA): no DDL, so that a user without CREATE rights works
                    step = "check the columns of " + table;
                    probe(s, table, dialect.probeColumns(table), table);
                    probe(s, table, dialect.probeDoneColumns(table), table + "_done");
                    c.commit();
                    unlock(s, table);
                    return;
                }
                if (version > Dialect.SCHEMA_VERSION) {
                    throw new JobsException(JobsException.Kind.REJECTED, "database " + describe() + ": the table "
                            + table + " has schema version " + version + ", written by a newer driver-jdbc; this one"
                            + " knows version " + Dialect.SCHEMA_VERSION);
                }
                // version 0: nothing yet (or a table of that name from elsewhere, refused by the probe);
                // version 1: the jobs table is there, the done table (version 2) is added: a forward migration
                step = "create the table " + table + "_version";
                s.execute(dialect.createVersionTable(table));
                step = "create the table " + table;
                s.execute(dialect.createJobsTable(table));
                step = "check the columns of " + table;
                probe(s, table, dialect.probeColumns(table), table);
                for (String index : dialect.createIndexes(table)) {
                    step = "create an index: " + index;
                    s.execute(index);
                }
                step = "create the table " + table + "_done";
                s.execute(dialect.createDoneTable(table));
                probe(s, table, dialect.probeDoneColumns(table), table + "_done");
                for (String index : dialect.createDoneIndexes(table)) {
                    step = "create an index: " + index;
                    s.execute(index);
                }
                step = "write the schema version";
                try (var insert = c.prepareStatement(dialect.insertVersion(table))) {
                    insert.setInt(1, Dialect.SCHEMA_VERSION);
                    insert.executeUpdate();
                }
                c.commit();
                unlock(s, table);
                if (version == 0) {
                    LOG.info("jdbc driver: table {} ready in {} (schema version {})", table, describe(),
                            Dialect.SCHEMA_VERSION);
                } else {
                    LOG.info("jdbc driver: table {} in {} migrated from schema version {} to {} (table {}_done"
                            + " added)", table, describe(), version, Dialect.SCHEMA_VERSION, table);
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                unlockQuietly(s, table);
                throw e;
            }
        } catch (SQLException e) {
            JobsException error = error("cannot " + step, e);
            throw lostConnection(e) ? error
                    : new JobsException(JobsException.Kind.REJECTED, error.getMessage(), e); // needs a person
        }
    }

    private void unlock(Statement s, String table) throws SQLException {
        String unlock = dialect.schemaUnlock(table);
        if (unlock != null) {
            s.execute(unlock);
        }
    }

    private void unlockQuietly(Statement s, String table) {
        try {
            unlock(s, table);
        } catch (SQLException ignored) {
            // the connection is broken: the lock went with its session
        }
    }

    /** Runs a probe of the columns of {@code checked}, one of the tables of {@code table}; refuses another shape. */
    private void probe(Statement s, String table, String probe, String checked) {
        try {
            s.executeQuery(probe).close();
        } catch (SQLException e) {
            throw new JobsException(JobsException.Kind.REJECTED, "database " + describe() + ": the table " + checked
                    + " is not a jobs table of this driver (" + reason(e) + "); name another table with the 'table'"
                    + " option of " + ConnectionSettings.PID + ", or drop it", e);
        }
    }

    /** @return an error naming the database (no password), what failed, and the database's reason */
    JobsException error(String what, SQLException e) {
        return new JobsException(JobsException.Kind.UNAVAILABLE, "database " + describe() + ": " + what + ": "
                + reason(e), e);
    }

    /**
     * @return whether the failure is the connection's (the database unreachable or gone, SQLState class 08, the
     *         pool's timeout) rather than the database refusing something (rights, credentials, a table's shape)
     */
    static boolean lostConnection(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().startsWith("08")
                    && !(t instanceof java.sql.SQLTransientConnectionException)) {
                return false; // the database answered, and refused
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return true;
    }

    /** @return the most telling message of the exception's causes (the driver's, rather than the pool's) */
    static String reason(Throwable e) {
        Throwable best = null;
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null
                    && !t.getClass().getName().startsWith("java.sql.SQLTransient")) {
                best = t; // the deepest of the database driver's own exceptions
            }
            deepest = t;
        }
        if (best == null) {
            best = deepest.getMessage() != null ? deepest : e;
        }
        String message = best.getMessage();
        return message == null ? best.getClass().getSimpleName() : message.replaceAll("\\s*\\R\\s*", " ");
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool drops it
        }
    }

    @Override
    public void close() {
        signals.close();
        pool.close();
    }
}
