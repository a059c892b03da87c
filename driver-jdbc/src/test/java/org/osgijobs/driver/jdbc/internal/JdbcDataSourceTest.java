package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;
import org.postgresql.ds.PGSimpleDataSource;

/** {@code datasource.target}: the pool is built over an existing {@code javax.sql.DataSource} service. */
public class JdbcDataSourceTest extends JdbcFixture {
    private static final String TARGET = "(dataSourceName=app)";

    @Test
    public void aPipelineRunsOnTheDataSourceServiceTheTargetNames() throws Exception {
        PGSimpleDataSource app = new PGSimpleDataSource();
        app.setURL(url());
        app.setUser(org.osgijobs.testing.PostgresServer.USER);
        JdbcConstructor runtime = new JdbcConstructor(settings("datasource.target", TARGET, "database", "postgresql"),
                app);
        runtimes.add(runtime);
        TestQueue queue = queue();
        JdbcDriver driver = (JdbcDriver) runtime.create(context(pipeline(), queue));
        driver.run(pipeline());
        push(driver, message("through-the-service").build());
        Job job = take(queue, 1).get(0);
        assertEquals("through-the-service", job.name());
        job.settle(Settlement.ack());
        assertTrue("the row was written through the DataSource into the test's schema", rowsEventuallyGone());
    }

    @Test
    public void theReferencesDefaultTargetThatDeclarativeServicesPassesMeansNone() throws Exception {
        // what SCR hands the component when jobs.jdbc has a url and no datasource.target
        JdbcConstructor runtime = new JdbcConstructor(settings("url", url(), "user",
                org.osgijobs.testing.PostgresServer.USER, "datasource.target", ConnectionSettings.NO_DATASOURCE),
                java.util.List.of(factory()));
        runtimes.add(runtime);
        TestQueue queue = queue();
        JdbcDriver driver = (JdbcDriver) runtime.create(context(pipeline(), queue));
        driver.run(pipeline());
        push(driver, message("by-url").build());
        assertEquals("by-url", take(queue, 1).get(0).name());
    }

    @Test
    public void aTargetThatNoServiceMatchesIsAPipelineErrorNamingIt() {
        JobsException e = refused(withoutService(settings("datasource.target", TARGET, "database",
                "postgresql")));
        assertEquals(JobsException.Kind.UNAVAILABLE, e.kind());
        assertMessage(e, "pipeline '" + pipeline + "': jobs.jdbc: no javax.sql.DataSource service matches option"
                + " 'datasource.target' " + TARGET);
    }

    @Test
    public void malformedDataSourceSettingsAreNamed() {
        assertMessage(refused(withoutService(settings("datasource.target", TARGET))),
                "jobs.jdbc: with option 'datasource.target', option 'database' must name the database behind the"
                        + " DataSource: postgresql or mariadb, got ''");
        assertMessage(refused(withoutService(settings("datasource.target", TARGET, "database", "oracle"))),
                "option 'database' must name the database behind the DataSource: postgresql or mariadb, got"
                        + " 'oracle'");
        assertMessage(refused(withoutService(settings("datasource.target", TARGET, "database", "postgresql",
                "url", url()))), "jobs.jdbc: set either option 'url' or option 'datasource.target', not both");
        assertMessage(refused(withoutService(settings("datasource.target", TARGET, "database", "postgresql",
                "user", "someone"))), "jobs.jdbc: option 'user' is not used with option 'datasource.target'");
        assertMessage(refused(withoutService(settings())), "jobs.jdbc: option 'url' is required (e.g."
                + " jdbc:postgresql://127.0.0.1:5432/jobs), or option 'datasource.target' naming a javax.sql.DataSource"
                + " service");
    }

    /** @return a runtime whose {@code datasource} reference found no service */
    private static JdbcConstructor withoutService(Map<String, Object> settings) {
        return new JdbcConstructor(settings, (javax.sql.DataSource) null);
    }

    private static Map<String, Object> settings(String... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private JobsException refused(JdbcConstructor runtime) {
        runtimes.add(runtime);
        try {
            runtime.create(context(pipeline(), new TestQueue(pipeline, 10)));
        } catch (JobsException e) {
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
