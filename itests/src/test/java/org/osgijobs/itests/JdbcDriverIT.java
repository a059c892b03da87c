package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.PostgresServer;

/**
 * The JDBC driver on a real Felix, with PostgreSQL's JDBC driver as a bundle reached through its
 * {@code DataSourceFactory}: a pipeline from configuration runs jobs by priority, a bundle update under steady
 * load loses none, and a pipeline runs on an application's {@code DataSource} service named by
 * {@code datasource.target}. Each test works in a schema of its own, dropped afterwards.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JdbcDriverIT extends ItestSupport {
    private static final String DRIVER = "org.osgijobs.driver-jdbc";
    private static final int PUSHES_EACH_SIDE = 200;

    private String schema;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.jdbcDriver(), ItestBundles.testSupport());
    }

    @Before
    public void ownSchema() throws SQLException {
        PostgresServer.assumeReachable();
        schema = PostgresServer.uniqueSchema();
        try (Connection c = connect()) {
            PostgresServer.createSchema(c, schema);
        }
        setConfig("jobs.jdbc", Map.of("url", PostgresServer.urlFor(schema), "user", PostgresServer.USER));
    }

    /** A failed test must not leave the next one without a driver; the schema goes. */
    @After
    public void cleanUp() throws BundleException, SQLException {
        Bundle driver = bundle(DRIVER);
        if (driver.getState() != Bundle.ACTIVE) {
            driver.start();
        }
        if (schema != null && PostgresServer.reachable()) {
            try (Connection c = connect()) {
                PostgresServer.dropSchema(c, schema);
            }
        }
    }

    private static Map<String, Object> jdbc(String... keyValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("driver", "jdbc");
        options.put("poll_interval", "0.2");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    @Test
    public void aPipelineFromConfigurationRunsItsJobsByPriority() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "jdbc.job");
        // prefetch 1: one job at a worker at a time, so the order of runs is the table's order
        createPipelineConfig("jdbc-order", jdbc("prefetch", "1", "consume", "false"));
        awaitState("jdbc-order", "built, paused", s -> !s.ready() && s.errorMessage().isEmpty());
        Jobs jobs = jobs();
        List<String> expected = new ArrayList<>();
        List<String> low = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.push(Message.builder("jdbc.job").pipeline("jdbc-order").priority(20).payload("low-" + i).build());
            low.add("low-" + i);
            jobs.push(Message.builder("jdbc.job").pipeline("jdbc-order").priority(1).payload("high-" + i).build());
            expected.add("high-" + i);
        }
        expected.addAll(low);
        awaitState("jdbc-order", "20 rows counted", s -> s.active() == 20);
        jobs.resume("jdbc-order");
        await("20 runs", () -> handler.count() == 20);
        List<String> ran = new ArrayList<>();
        handler.runs().forEach(run -> ran.add(run.payload()));
        assertEquals("priority first, push order among equals", expected, ran);
        await("acknowledged rows deleted", () -> rows("jdbc-order") == 0);
    }

    @Test
    public void bundleUpdateUnderSteadyLoadLosesNoJob() throws Exception {
        Ledger ledger = new Ledger("itest driver-jdbc update under steady load");
        // slower than the producer, so that jobs wait in the table when the driver changes
        RecordingHandler handler = new RecordingHandler(ledger, job -> Thread.sleep(5));
        registerHandler(handler, "update.job");
        createPipelineConfig("jdbc-update", jdbc("prefetch", "20", "lease", "5"));
        awaitState("jdbc-update", "consuming", State::ready);
        Jobs jobs = jobs();
        try (SteadyPusher pusher = SteadyPusher.start(jobs, "update.job", List.of("jdbc-update"), ledger)) {
            await("pushes accepted before the update", () -> pusher.acceptedCount() >= PUSHES_EACH_SIDE);
            long waiting = rows("jdbc-update");

            bundle(DRIVER).update();

            awaitState("jdbc-update", "consuming again", s -> s.ready() && s.errorMessage().isEmpty());
            int acceptedAtReturn = pusher.acceptedCount();
            await("pushes accepted after the update",
                    () -> pusher.acceptedCount() >= acceptedAtReturn + PUSHES_EACH_SIDE);
            assertTrue("jobs waited in the table at the update (else the test proves little): " + waiting,
                    waiting > 0);
        }
        ledger.awaitAllAcceptedRan(DEADLINE);
        System.out.printf("%s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(20, "at most the prefetch runs again (a settlement not written before the"
                + " stop); a graceful update normally repeats none");
        ledger.assertOnlyAcceptedRan();
        ledger.assertNoRefusals("pushes wait for the next driver (driver_wait) instead of failing");
        await("acknowledged rows deleted", () -> rows("jdbc-update") == 0);
    }

    @Test
    public void aPipelineRunsOnTheApplicationsDataSourceServiceThatTheTargetNames() throws Exception {
        // the application's DataSource, a service of its own (as pax-jdbc-config or the application would register it)
        DataSourceFactory factory = service(DataSourceFactory.class);
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, PostgresServer.urlFor(schema));
        props.setProperty(DataSourceFactory.JDBC_USER, PostgresServer.USER);
        String name = "app-" + schema;
        register(javax.sql.DataSource.class, factory.createDataSource(props), Map.of("dataSourceName", name));
        setConfig("jobs.jdbc", Map.of("datasource.target", "(dataSourceName=" + name + ")", "database",
                "postgresql"));
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "ds.job");
        createPipelineConfig("jdbc-ds", jdbc());
        awaitState("jdbc-ds", "consuming on the DataSource service", s -> s.ready() && s.errorMessage().isEmpty());
        jobs().push(Message.builder("ds.job").pipeline("jdbc-ds").payload("through the service").build());
        await("the job ran", () -> handler.count() == 1);
        assertEquals("through the service", handler.runs().get(0).payload());
        await("its row, in the DataSource's schema, deleted", () -> rows("jdbc-ds") == 0);
    }

    /** @return the pipeline's rows, or -1 when the table cannot be read */
    private long rows(String pipeline) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema
                + ".osgijobs_jobs WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
