package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.JobsException;
import org.osgijobs.testing.PostgresServer;
import org.osgijobs.testing.TestQueue;
import org.postgresql.osgi.PGDataSourceFactory;

/** What a user gets wrong: each is a pipeline error naming the database without its password. */
public class JdbcBadInputTest extends JdbcFixture {
    private static final String SECRET = "s3cret-Pa55";

    @Test
    public void anUnreachableDatabaseIsNamedWithoutItsPassword() throws Exception {
        JdbcConstructor runtime = new JdbcConstructor(Map.of("url", "jdbc:postgresql://127.0.0.1:1/test?password="
                + SECRET, "user", "postgres", "password", SECRET), List.of(new PGDataSourceFactory()));
        runtimes.add(runtime);
        // built all the same: the pipeline shows the error and starts by itself once the database answers
        JdbcDriver driver = running(runtime, new TestQueue(pipeline, 10));
        String named = "database jdbc:postgresql://127.0.0.1:1/test?password=*** (user postgres): cannot connect: ";
        String error = driver.state().errorMessage();
        assertTrue(error, error.startsWith(named));
        assertTrue(error, error.contains("refused"));
        assertFalse(driver.state().ready());
        JobsException push = failure(driver.push(message("j").build()));
        assertEquals(JobsException.Kind.UNAVAILABLE, push.kind());
        assertTrue(push.getMessage(), push.getMessage().startsWith("pipeline '" + pipeline + "': " + named));
        assertFalse(push.getMessage(), push.getMessage().contains(SECRET));
        System.out.println("refused: " + push.getMessage());
    }

    @Test
    public void wrongCredentialsAreNamed() {
        JobsException e = refused(new JdbcConstructor(connection("user", "no_such_user", "password", SECRET),
                List.of(new PGDataSourceFactory())));
        assertTrue(e.getMessage(), e.getMessage().contains("(user no_such_user): cannot connect: "));
        assertTrue(e.getMessage(), e.getMessage().contains("\"no_such_user\""));
    }

    @Test
    public void aTableOfAnotherShapeIsRefused() throws Exception {
        try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + schema + ".orders (id INTEGER PRIMARY KEY, customer TEXT)");
        }
        JobsException e = refused(runtime("table", "orders"));
        assertEquals(JobsException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("the table orders is not a jobs table of this driver ("));
        assertTrue(e.getMessage(), e.getMessage().contains("name another table with the 'table' option of jobs.jdbc"));
        try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT id, customer FROM " + schema + ".orders"); // left as it was
        }
    }

    @Test
    public void aUserWithoutTheRightToCreateTheTableIsToldSoAndWorksOnATableCreatedForIt() throws Exception {
        String role = "jobs_limited_" + schema.substring(schema.length() - 8);
        try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
            s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        }
        try {
            JobsException e = refused(runtime("user", role, "table", "limited_jobs"));
            assertMessage(e, "(user " + role + "): cannot create the table limited_jobs_version: ERROR: permission"
                    + " denied for schema " + schema);
            // created by a user who may, then granted the plain rights: the driver needs no DDL any more
            TestQueue queue = queue();
            driver(runtime("table", "limited_jobs"), queue).stop();
            try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + schema + ".limited_jobs, " + schema
                        + ".limited_jobs_version, " + schema + ".limited_jobs_done TO " + role);
                s.execute("GRANT USAGE ON SEQUENCE " + schema + ".limited_jobs_id_seq TO " + role);
            }
            JdbcDriver limited = running(runtime("user", role, "table", "limited_jobs"), queue);
            push(limited, message("by-limited").build());
            Job job = take(queue, 1).get(0);
            assertEquals("by-limited", job.name());
            job.settle(org.osgijobs.api.driver.Settlement.ack());
        } finally {
            runtimes.forEach(JdbcConstructor::deactivate);
            runtimes.clear();
            try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    public void aTableOfANewerSchemaVersionIsRefused() throws Exception {
        try (Connection c = PostgresServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + schema + ".future_jobs_version (version INTEGER NOT NULL)");
            s.execute("INSERT INTO " + schema + ".future_jobs_version VALUES (3)");
        }
        JobsException e = refused(runtime("table", "future_jobs"));
        assertEquals(JobsException.Kind.REJECTED, e.kind());
        assertMessage(e, "the table future_jobs has schema version 3, written by a newer driver-jdbc; this one knows"
                + " version 2");
    }

    @Test
    public void malformedSettingsAndOptionsAreNamed() {
        assertMessage(refused(new JdbcConstructor(Map.of(), List.of(new PGDataSourceFactory()))),
                "jobs.jdbc: option 'url' is required");
        assertMessage(refused(runtime("pool_size", "1")), "option 'pool_size' must be an integer from 2 to 1000");
        assertMessage(refused(runtime("table", "jobs; DROP TABLE x")), "option 'table' must be a plain SQL name");
        assertMessage(refused(new JdbcConstructor(Map.of("url", "jdbc:mariadb://127.0.0.1:3306/test"),
                List.of(new PGDataSourceFactory()))), "no JDBC driver in the framework accepts the URL");
        JdbcConstructor runtime = runtime();
        for (String[] option : new String[][] {{"prefetch", "0"}, {"lease", "1"}, {"poll_interval", "soon"},
                {"keep_done", "-1"}, {"keep_done", "31536001"}}) {
            try {
                runtime.create(context(pipeline(option), new TestQueue(pipeline, 10)));
                fail("accepted " + option[0] + "=" + option[1]);
            } catch (JobsException e) {
                assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
                assertMessage(e, "option '" + option[0] + "' must be ");
            }
        }
        try {
            runtime.create(context(pipeline("tx_provider", "(app.db=orders)"), new TestQueue(pipeline, 10)));
            fail("accepted tx_provider outside a framework");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertMessage(e, "option 'tx_provider' needs the driver to run in an OSGi framework");
        }
    }

    @Test
    public void noPasswordReachesTheLog() throws Exception {
        wrongCredentialsAreNamed();
        refused(new JdbcConstructor(connection("password", SECRET, "pool_size", "1"),
                List.of(new PGDataSourceFactory()))); // logged as a configuration error
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "none"));
        if (Files.exists(log)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue("the log has the settings", text.contains("jdbc driver ready"));
            assertFalse("the password is in " + log, text.contains(SECRET));
        }
        assertFalse(ConnectionSettings.of(Map.of("url", "jdbc:postgresql://u:" + SECRET + "@h/db", "password",
                SECRET)).toString().contains(SECRET));
    }

    private JobsException refused(JdbcConstructor runtime) {
        runtimes.add(runtime);
        try {
            runtime.create(context(pipeline(), new TestQueue(pipeline, 10)));
        } catch (JobsException e) {
            assertFalse(e.getMessage(), e.getMessage().contains(SECRET));
            System.out.println("refused: " + e.getMessage());
            return e;
        }
        fail("the pipeline was built");
        return null;
    }

    private static void assertMessage(JobsException e, String part) {
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
}
