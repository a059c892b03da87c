package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.WindowedProducer;
import org.osgijobs.testing.Workers;

/**
 * beanstalkd is killed (SIGKILL) and started again on its binlog while jobs flow both ways: no push it answered
 * {@code INSERTED} is lost, consuming comes back by itself, duplicates stay within what was in flight.
 */
public class BeanstalkServerRestartTest {

    private static final int WINDOW = 100;
    private static final int PREFETCH = 20;

    @Test
    public void aServerKilledAndRestartedUnderLoadLosesNoAcknowledgedPush() throws Exception {
        try (BeanstalkdProcess server = new BeanstalkdProcess()) {
            server.start();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", "p");
            o.put("driver", "beanstalk");
            o.put("timeout", "5");
            o.put("reserve_timeout", "1");
            o.put("prefetch", String.valueOf(PREFETCH));
            o.put("tube", "restart");
            SharedTestQueue queue = new SharedTestQueue("p");
            BeanstalkDriver d = new BeanstalkDriver(Pipeline.of(o), ConnectionSettings.of("127.0.0.1", server.port,
                    30), queue, x -> {
                    });
            d.start();
            Ledger ledger = new Ledger("server restart");
            try (Workers workers = new Workers(queue, 2, ledger);
                    WindowedProducer producer = new WindowedProducer(d, "p", ledger, WINDOW)) {
                d.run(Pipeline.of(o));
                producer.start();
                ledger.phase("before");
                assertTrue(Poll.eventually(() -> workers.runs() > 500, 30));
                ledger.phase("server down");
                server.kill();
                assertTrue("the outage shows", Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 10));
                server.start();
                ledger.phase("after");
                int before = ledger.acceptedCount();
                assertTrue("pushes succeed again", Poll.eventually(() -> ledger.acceptedCount() > before + 500, 60));
                producer.finish();
                ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                System.out.printf("server restart: %s%n", ledger.summary());
                ledger.assertNoneLost();
                ledger.assertDuplicatesAtMost(PREFETCH + WINDOW, "a killed server gives out again the jobs it had"
                        + " reserved and deletes it had not written (at most the " + PREFETCH + " this runtime"
                        + " held), and a refused push may still have been stored (at most the " + WINDOW
                        + " in flight)");
                ledger.assertNoRefusalsIn("before", "the server was up");
            } finally {
                d.stop();
            }
        }
    }
}
