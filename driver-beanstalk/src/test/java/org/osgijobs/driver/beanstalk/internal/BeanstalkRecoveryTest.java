package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.WindowedProducer;
import org.osgijobs.testing.Workers;

/**
 * The driver's connections cut (as a network failure would) while jobs flow both ways: consuming and producing come
 * back by themselves, no accepted job is lost, duplicates stay within what was held reserved at each cut.
 */
public class BeanstalkRecoveryTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private static final int PREFETCH = 10;
    private static final int WINDOW = 50;
    private static final int CUTS = 3;

    @Test
    public void connectionsCutUnderLoadComeBackAndLoseNothing() throws Exception {
        Map<String, Object> o = fx.options("p", "prefetch", String.valueOf(PREFETCH), "timeout", "5");
        Ledger ledger = new Ledger("connections cut");
        try (TcpProxy proxy = new TcpProxy(BeanstalkFixture.PORT)) {
            SharedTestQueue queue = new SharedTestQueue("p");
            BeanstalkDriver d = fx.driver(queue, ConnectionSettings.of("127.0.0.1", proxy.port(), 30), o);
            try (Workers workers = new Workers(queue, 2, ledger);
                    WindowedProducer producer = new WindowedProducer(d, "p", ledger, WINDOW)) {
                d.run(Pipeline.of(o));
                producer.start();
                for (int cut = 0; cut < CUTS; cut++) {
                    int before = workers.runs();
                    Poll.until("jobs flow before cut " + cut, Duration.ofSeconds(30), Duration.ofMillis(10),
                            () -> workers.runs() > before + 200, ledger::summary);
                    proxy.cut();
                }
                int after = workers.runs();
                Poll.until("jobs flow after the last cut", Duration.ofSeconds(30), Duration.ofMillis(10),
                        () -> workers.runs() > after + 200, ledger::summary);
                producer.finish();
                ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                System.out.printf("connections cut: %s%n", ledger.summary());
                ledger.assertNoneLost();
                ledger.assertDuplicatesAtMost(CUTS * (PREFETCH + WINDOW), "at each cut, the jobs held reserved run"
                        + " again, and a put cut before its answer may have been stored (refused, then pushed no"
                        + " more, but stored)");
                assertTrue(d.state().errorMessage(), d.state().errorMessage().isEmpty());
            } finally {
            }
        }
    }
}
