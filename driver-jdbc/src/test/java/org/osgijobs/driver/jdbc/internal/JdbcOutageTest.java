package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.PostgresServer;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.TestQueue;

/** The database goes away under load (a proxy in front of it stops listening and cuts every connection). */
public class JdbcOutageTest extends JdbcFixture {
    private static final int PREFETCH = 20;
    private TcpProxy proxy;

    @Before
    public void startProxy() throws Exception {
        proxy = new TcpProxy(PostgresServer.PORT);
    }

    @After
    public void closeProxy() throws Exception {
        proxy.close();
    }

    @Test
    public void pushesFailNamingTheDatabaseWhileItIsAwayAndNoAcceptedJobIsLost() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + PostgresServer.DATABASE
                + "?currentSchema=" + schema;
        Ledger ledger = new Ledger("jdbc outage");
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime("url", url), queue, "prefetch", String.valueOf(PREFETCH));
        PushLoad load = new PushLoad(ledger, driver, queue, id -> message(id).build());
        load.awaitMoreAccepted(300, Duration.ofSeconds(30));

        ledger.phase("down");
        proxy.down();
        Poll.until("a push refused", Duration.ofSeconds(30), Duration.ofMillis(20),
                () -> !ledger.refusals("down").isEmpty(), ledger::summary);
        String refusal = ledger.refusals("down").get(0).message();
        assertTrue(refusal, refusal.startsWith("pipeline '" + pipeline + "': database jdbc:postgresql://127.0.0.1:"
                + proxy.port() + "/test?currentSchema=" + schema + " (user postgres): cannot write to the table"
                + " osgijobs_jobs: "));
        Poll.until("the pipeline shows the error", Duration.ofSeconds(30), Duration.ofMillis(20),
                () -> !driver.state().errorMessage().isEmpty(), () -> driver.state().toString());
        System.out.printf("jdbc outage: a refused push: %s%n  the pipeline's error: %s%n", refusal,
                driver.state().errorMessage());

        ledger.phase("up");
        proxy.up();
        load.awaitMoreAccepted(300, Duration.ofSeconds(30));
        load.finish(Duration.ofSeconds(60));
        System.out.printf("jdbc outage: %s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(PREFETCH, "a settlement that could not be written runs again at most");
        Poll.until("the error cleared", Duration.ofSeconds(30), Duration.ofMillis(20),
                () -> driver.state().errorMessage().isEmpty(), () -> driver.state().toString());
        assertFalse(ledger.refusals("down").isEmpty());
    }

    @Test
    public void aPipelineBuiltWhileTheDatabaseIsAwayStartsWhenItReturns() throws Exception {
        proxy.down();
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + PostgresServer.DATABASE
                + "?currentSchema=" + schema;
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime("url", url, "table", "later_jobs"), queue);
        assertTrue(driver.state().errorMessage(), driver.state().errorMessage().contains("cannot connect"));
        proxy.up();
        Poll.until("the pipeline recovers by itself", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> driver.state().ready() && driver.state().errorMessage().isEmpty(),
                () -> driver.state().toString());
        push(driver, message("after").build());
        Job job = queue.take(10, TimeUnit.SECONDS);
        assertTrue("the job pushed after the database returned ran", job != null && "after".equals(job.name()));
        job.settle(Settlement.ack());
    }
}
