package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.PostgresServer;
import org.osgijobs.testing.TestQueue;

/**
 * The database itself restarted under load: a private PostgreSQL cluster (the shared one on 5432 must stay up) is
 * stopped and started twice while jobs are pushed and run, once as a restart ({@code pg_ctl stop -m fast}) and once as
 * a crash ({@code -m immediate}, recovered from the WAL at the next start). While it is down, pushes fail naming the
 * database; no accepted push is lost; the pipeline recovers by itself.
 */
public class JdbcDatabaseRestartTest extends JdbcFixture {
    private static final int PREFETCH = 20;
    private PrivatePostgres pg;

    @Before
    public void startPrivateCluster() throws Exception {
        pg = PrivatePostgres.startOrSkip();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres",
                PostgresServer.USER, "")) {
            PostgresServer.createSchema(c, schema);
        }
    }

    @After
    public void stopPrivateCluster() throws Exception {
        stopRuntimes();
        runtimes.clear();
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    public void pushesFailWhileTheDatabaseIsDownNoAcceptedPushIsLostAndThePipelineRecoversByItself()
            throws Exception {
        Ledger ledger = new Ledger("jdbc database restart");
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime("url", pg.url(schema)), queue, "prefetch", String.valueOf(PREFETCH));
        PushLoad load = new PushLoad(ledger, driver, queue, id -> message(id).build());
        load.awaitMoreAccepted(300, Duration.ofSeconds(30));

        for (String mode : new String[] {"fast", "immediate"}) {
            ledger.phase(mode);
            pg.stopServer(mode);
            Poll.until("a push refused while the database is down (" + mode + ")", Duration.ofSeconds(30),
                    Duration.ofMillis(20), () -> !ledger.refusals(mode).isEmpty(), ledger::summary);
            String refusal = ledger.refusals(mode).get(0).message();
            assertTrue(refusal, refusal.startsWith("pipeline '" + pipeline + "': database jdbc:postgresql://127.0.0.1:"
                    + pg.port() + "/postgres?currentSchema=" + schema + " (user postgres): cannot write to the table"
                    + " osgijobs_jobs: "));
            Poll.until("the pipeline shows the error", Duration.ofSeconds(30), Duration.ofMillis(20),
                    () -> !driver.state().errorMessage().isEmpty(), () -> driver.state().toString());
            System.out.printf("jdbc database restart (%s): a refused push: %s%n  the pipeline's error: %s%n", mode,
                    refusal, driver.state().errorMessage());
            pg.startServer();
            ledger.phase("up after " + mode);
            load.awaitMoreAccepted(300, Duration.ofSeconds(60));
            Poll.until("the error cleared after the " + mode + " stop", Duration.ofSeconds(30),
                    Duration.ofMillis(20), () -> driver.state().errorMessage().isEmpty(),
                    () -> driver.state().toString());
            assertTrue(driver.state().toString(), driver.state().ready());
        }
        load.finish(Duration.ofSeconds(90));
        System.out.printf("jdbc database restart: %s%n", ledger.summary());
        ledger.assertNoneLost();
        // a settlement whose commit was not confirmed is written again (a no-op), so a job runs twice only when its
        // lease (60 s, longer than the test) expired: none is expected, a claim's worth per outage is the bound
        ledger.assertDuplicatesAtMost(2 * PREFETCH, "at most the leased rows of each outage run again");
        assertFalse(ledger.refusals("fast").isEmpty());
        assertFalse(ledger.refusals("immediate").isEmpty());
        assertTrue("every row of the pipeline settled: " + rowsIn(), rowsEventuallyGoneFromPrivate());
    }

    private long rowsIn() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(schema), PostgresServer.USER, "");
                var ps = c.prepareStatement("SELECT count(*) FROM osgijobs_jobs WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean rowsEventuallyGoneFromPrivate() throws InterruptedException {
        return Poll.eventually(() -> {
            try {
                return rowsIn() == 0;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(10));
    }
}
