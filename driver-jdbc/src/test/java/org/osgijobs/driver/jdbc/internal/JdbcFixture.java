package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.TestDriverContext;
import org.osgijobs.testing.PostgresServer;
import org.osgijobs.testing.TestQueue;
import org.postgresql.osgi.PGDataSourceFactory;

/**
 * Shared helpers: a schema of the test database per test class, runtimes (each a {@link JdbcConstructor} with its
 * own pool, as two runtimes would have), drivers of a pipeline named for the test, messages, and SQL on the table.
 */
abstract class JdbcFixture {
    private static final AtomicInteger PIPELINES = new AtomicInteger();
    static String schema;

    final List<JdbcConstructor> runtimes = new ArrayList<>();
    String pipeline;

    /** The database of the running test class: PostgreSQL, or MariaDB for the classes that {@link #useMariaDb}. */
    static boolean mariaDb;

    @BeforeClass
    public static void createSchema() throws SQLException {
        mariaDb = false;
        PostgresServer.assumeReachable();
        schema = PostgresServer.uniqueSchema();
        try (Connection c = PostgresServer.connect()) {
            PostgresServer.createSchema(c, schema);
        }
    }

    @AfterClass
    public static void dropSchema() throws SQLException {
        if (mariaDb) {
            if (schema != null) {
                try (Connection c = MariaDbServer.connect("test"); java.sql.Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + schema);
                }
            }
            return;
        }
        if (schema != null && PostgresServer.reachable()) {
            try (Connection c = PostgresServer.connect()) {
                PostgresServer.dropSchema(c, schema);
            }
        }
    }

    /**
     * Makes the running test class use the real MariaDB, in a database of its own: a MariaDB test class hides
     * {@link #createSchema()} with a {@code @BeforeClass} method calling this ({@link #dropSchema()} then drops it).
     */
    static void useMariaDb() throws SQLException {
        MariaDbServer.assumeReachable();
        mariaDb = true;
        schema = PostgresServer.uniqueSchema();
        try (Connection c = MariaDbServer.connect("test"); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema);
        }
    }

    @Before
    public void namePipeline() {
        pipeline = "p" + PIPELINES.incrementAndGet();
    }

    @After
    public void stopRuntimes() {
        runtimes.forEach(JdbcConstructor::deactivate);
    }

    /** @return the {@code jobs.jdbc} settings of the test's database, with the given ones */
    Map<String, Object> connection(String... settings) {
        Map<String, Object> map = new HashMap<>();
        map.put("url", url());
        map.put("user", mariaDb ? MariaDbServer.USER : PostgresServer.USER);
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        return map;
    }

    /** A runtime's constructor with its own pool on the test schema. */
    JdbcConstructor runtime(String... settings) {
        JdbcConstructor constructor = new JdbcConstructor(connection(settings), List.of(factory()));
        runtimes.add(constructor);
        return constructor;
    }

    /** @return the URL of the test's schema (or MariaDB database) */
    String url() {
        return mariaDb ? MariaDbServer.url(schema) : PostgresServer.urlFor(schema);
    }

    /** @return the JDBC driver's factory, as the framework would have it */
    org.osgi.service.jdbc.DataSourceFactory factory() {
        return mariaDb ? MariaDbServer.factory() : new PGDataSourceFactory();
    }

    /** @return a connection to the test database with the rights to look at any table, auto-commit */
    Connection connect() throws SQLException {
        return mariaDb ? MariaDbServer.connect(schema) : PostgresServer.connect();
    }

    /** @return a connection, auto-commit, whose unqualified table names are the test schema's */
    Connection connectInSchema() throws SQLException {
        return mariaDb ? MariaDbServer.connect(schema)
                : java.sql.DriverManager.getConnection(url(), PostgresServer.USER, "");
    }

    /** @return the SQL of the test's database */
    Dialect dialect() {
        return mariaDb ? new MariaDbDialect() : new PostgresDialect();
    }

    Pipeline pipeline(String... options) {
        Map<String, String> map = new HashMap<>();
        map.put("name", pipeline);
        map.put("driver", "jdbc");
        map.put("timeout", "10");
        map.put("poll_interval", "0.2");
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return Pipeline.of(map);
    }

    static DriverContext context(Pipeline pipeline, Queue queue) {
        return TestDriverContext.of(pipeline, queue);
    }

    /** A driver of the test's pipeline on the runtime, not consuming. */
    JdbcDriver driver(JdbcConstructor runtime, TestQueue queue, String... options) {
        return (JdbcDriver) runtime.create(context(pipeline(options), queue));
    }

    /** A driver of the test's pipeline, consuming. */
    JdbcDriver running(JdbcConstructor runtime, TestQueue queue, String... options) {
        JdbcDriver driver = driver(runtime, queue, options);
        driver.run(pipeline(options));
        return driver;
    }

    TestQueue queue() {
        return new TestQueue(pipeline, 10_000);
    }

    Message.Builder message(String name) {
        return Message.builder(name).pipeline(pipeline).id(name);
    }

    static void push(JdbcDriver driver, Message message) {
        driver.push(message).toCompletableFuture().join();
    }

    void pushAll(JdbcDriver driver, String... names) {
        for (String name : names) {
            push(driver, message(name).build());
        }
    }

    static JobsException failure(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            assertTrue("expected a JobsException, got " + e.getCause(), e.getCause() instanceof JobsException);
            return (JobsException) e.getCause();
        }
        fail("expected the push to fail");
        return null;
    }

    /** Takes jobs as a worker does until {@code count} came, failing when one does not come within 10 s. */
    static List<Job> take(TestQueue queue, int count) throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Job job = queue.take(10, TimeUnit.SECONDS);
            if (job == null) {
                fail("only " + jobs.size() + " of " + count + " jobs came: " + names(jobs));
            }
            jobs.add(job);
        }
        return jobs;
    }

    static List<String> names(List<? extends Job> jobs) {
        List<String> names = new ArrayList<>();
        jobs.forEach(job -> names.add(job.name()));
        return names;
    }

    /** @return the first column of the first row of a query with the pipeline as its one parameter */
    long query(String sql) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                sql.replace("$table", schema + "." + ConnectionSettings.DEFAULT_TABLE))) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long rows() throws SQLException {
        return query("SELECT count(*) FROM $table WHERE pipeline = ?");
    }

    /** @return whether the pipeline's rows are all gone within 10 s (acknowledgements are written asynchronously) */
    boolean rowsEventuallyGone() throws InterruptedException {
        return org.osgijobs.testing.Poll.eventually(() -> {
            try {
                return rows() == 0;
            } catch (SQLException e) {
                return false;
            }
        }, java.time.Duration.ofSeconds(10));
    }
}
