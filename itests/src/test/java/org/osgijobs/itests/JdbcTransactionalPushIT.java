package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.transaction.control.ScopedWorkException;
import org.osgi.service.transaction.control.TransactionControl;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.testing.PostgresServer;

/**
 * Transactional push on a real Felix: a jdbc pipeline with {@code tx_provider} naming a {@code JDBCConnectionProvider}
 * (Apache Aries tx-control, local transactions, on the pipeline's own PostgreSQL schema). A push inside a transaction
 * writes its row in that transaction, beside the business row written through the same provider: rolled back, neither
 * exists and no job runs; committed, both exist and the job runs (and its row was invisible to others until the
 * commit); outside a scope, the push commits on its own. Each test works in a schema of its own, dropped afterwards.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JdbcTransactionalPushIT extends ItestSupport {
    private static final String PROVIDER_PID = "org.apache.aries.tx.control.jdbc.local";
    private static final String JOB = "tx.job";

    private String schema;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.transactionControl(), ItestBundles.jdbcDriver(),
                ItestBundles.testSupport());
    }

    @Before
    public void ownSchemaAndProvider() throws SQLException {
        PostgresServer.assumeReachable();
        schema = PostgresServer.uniqueSchema();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            PostgresServer.createSchema(c, schema);
            s.execute("CREATE TABLE " + schema + ".orders (id TEXT PRIMARY KEY)");
        }
        setConfig("jobs.jdbc", Map.of("url", PostgresServer.urlFor(schema), "user", PostgresServer.USER));
        // the application's connection provider, on the same database and schema as the pipeline's table
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("osgi.jdbc.driver.class", "org.postgresql.Driver");
        provider.put("url", PostgresServer.urlFor(schema));
        provider.put("user", PostgresServer.USER);
        provider.put("app.db", schema);
        createFactoryConfig(PROVIDER_PID, schema, provider);
        await("the JDBCConnectionProvider of " + schema, () -> providers().size() == 1);
    }

    @After
    public void dropSchema() throws SQLException {
        if (schema != null && PostgresServer.reachable()) {
            try (Connection c = connect()) {
                PostgresServer.dropSchema(c, schema);
            }
        }
    }

    private Map<String, Object> pipeline(String... keyValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("driver", "jdbc");
        options.put("poll_interval", "0.2");
        options.put("prefetch", "1");
        options.put("tx_provider", "(app.db=" + schema + ")");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    @Test
    public void aRolledBackTransactionLeavesNoJobACommittedOneRunsIt() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, JOB);
        // paused until the end: every row that exists stays in the table, so that the counts below are exact
        createPipelineConfig("tx-jobs", pipeline("consume", "false"));
        awaitState("tx-jobs", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        Jobs jobs = jobs();
        TransactionControl tx = service(TransactionControl.class);
        Connection scoped = provider().getResource(tx);

        // rolled back by the application after the push: neither the order nor the job exists
        tx.required(() -> {
            insertOrder(scoped, "order-1");
            jobs.push(Message.builder(JOB).pipeline("tx-jobs").id("job-1").payload("rolled back").build());
            assertEquals("inside the transaction, the row is the caller's", 1, count(scoped, "osgijobs_jobs"));
            tx.setRollbackOnly();
            return null;
        });
        // rolled back by an exception after the push
        try {
            tx.required(() -> {
                jobs.push(Message.builder(JOB).pipeline("tx-jobs").id("job-2").payload("failed").build());
                throw new IllegalStateException("the business logic failed after the push");
            });
            throw new AssertionError("the scope should have ended with the business exception");
        } catch (ScopedWorkException expected) {
            assertEquals("the business logic failed after the push", expected.getCause().getMessage());
        }
        assertEquals("no order after the rollback", 0, rows("orders"));
        assertEquals("no job row after the rollbacks", 0, rows("osgijobs_jobs"));

        // committed: the order and the job exist together; the row is invisible to others until the commit
        tx.required(() -> {
            insertOrder(scoped, "order-3");
            jobs.push(Message.builder(JOB).pipeline("tx-jobs").id("job-3").payload("committed").build());
            assertEquals("not visible to others before the commit", 0, rows("osgijobs_jobs"));
            return null;
        });
        assertEquals("the job's row committed with the order", 1, rows("osgijobs_jobs"));
        jobs.resume("tx-jobs");
        await("the committed job ran", () -> handler.count() >= 1);
        // only that one: a row of a rolled-back push, had it existed, would have run before job-3 (the table's order
        // is priority then insertion, and prefetch 1 takes one row at a time)
        assertEquals(List.of("committed"), handler.runs().stream().map(RecordingHandler.Run::payload).toList());
        assertEquals("the order committed with its job", 1, rows("orders"));
        await("the job's row deleted once acknowledged", () -> rowsOrMinusOne("osgijobs_jobs") == 0);
    }

    @Test
    public void aPushOutsideAScopeCommitsOnItsOwn() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, JOB);
        createPipelineConfig("tx-alone", pipeline("consume", "false"));
        awaitState("tx-alone", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        TransactionControl tx = service(TransactionControl.class);

        jobs().push(Message.builder(JOB).pipeline("tx-alone").id("alone-1").payload("alone").build());
        assertEquals("committed when the push returned", 1, rows("osgijobs_jobs"));
        // a scope without a transaction (supports) does not hold the push either
        tx.supports(() -> {
            jobs().push(Message.builder(JOB).pipeline("tx-alone").id("alone-2").payload("no transaction").build());
            return null;
        });
        assertEquals("committed when the push returned", 2, rows("osgijobs_jobs"));
        jobs().resume("tx-alone");
        await("both ran", () -> handler.count() == 2);
        assertEquals(List.of("alone", "no transaction"),
                handler.runs().stream().map(RecordingHandler.Run::payload).toList());
    }

    @Test
    public void aPushInATransactionWithoutItsProviderFailsAndRollsTheTransactionBack() throws Exception {
        createPipelineConfig("tx-missing", pipeline("consume", "false", "tx_provider", "(app.db=no_such_provider)"));
        awaitState("tx-missing", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        TransactionControl tx = service(TransactionControl.class);
        Connection scoped = provider().getResource(tx);

        String[] refusal = new String[1];
        tx.required(() -> {
            insertOrder(scoped, "order-x");
            try {
                jobs().push(Message.builder(JOB).pipeline("tx-missing").id("x").payload("x").build());
            } catch (JobsException e) {
                refusal[0] = e.getMessage();
            }
            return null; // the application goes on as if nothing happened: the transaction must not commit
        });
        assertTrue("the push names the pipeline, the option and the filter: " + refusal[0], refusal[0] != null
                && refusal[0].contains("pipeline 'tx-missing'") && refusal[0].contains("tx_provider")
                && refusal[0].contains("(app.db=no_such_provider)"));
        assertEquals("the transaction was rolled back: no order without its job", 0, rows("orders"));
        assertEquals(0, rows("osgijobs_jobs"));
    }

    private List<ServiceReference<JDBCConnectionProvider>> providers() {
        try {
            return List.copyOf(bundleContext.getServiceReferences(JDBCConnectionProvider.class, "(app.db=" + schema
                    + ")"));
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private JDBCConnectionProvider provider() {
        List<ServiceReference<JDBCConnectionProvider>> refs = providers();
        assertEquals(1, refs.size());
        return bundleContext.getService(refs.get(0));
    }

    private static void insertOrder(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return the table's committed rows, read on a connection of its own */
    private long rows(String table) throws SQLException {
        try (Connection c = connect()) {
            return count(c, schema + "." + table);
        }
    }

    private long rowsOrMinusOne(String table) {
        try {
            return rows(table);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** A connection through the framework's PostgreSQL DataSourceFactory, in auto-commit mode. */
    private Connection connect() throws SQLException {
        DataSourceFactory factory = service(DataSourceFactory.class);
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, PostgresServer.URL);
        props.setProperty(DataSourceFactory.JDBC_USER, PostgresServer.USER);
        return factory.createDataSource(props).getConnection();
    }
}
