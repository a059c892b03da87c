package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.WindowedProducer;
import org.osgijobs.testing.Workers;

/**
 * Outages of a broker of the test's own while jobs flow both ways: the broker restarted (SIGTERM, then started again
 * on the same data), and every connection to it cut with new ones refused for a while (a proxy in front of it, which
 * the broker advertises, so that the clients reach it only through the proxy). No acknowledged push is lost,
 * consuming and pushing come back by themselves, duplicates stay within what was in flight.
 */
public class KafkaOutageTest {

    private static final int WINDOW = 100;
    private static final int PREFETCH = 20;
    private static final int PARTITIONS = 3;

    /** What the test does to the broker's reachability, and undoes. */
    private interface Outage {
        void begin() throws Exception;

        void end() throws Exception;
    }

    @Test
    public void aBrokerRestartUnderLoadLosesNoAcknowledgedPush() throws Exception {
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess()) {
            broker.start();
            underLoad("broker restart", broker.brokers(), new Outage() {
                @Override
                public void begin() throws Exception {
                    broker.stop();
                }

                @Override
                public void end() throws Exception {
                    broker.start();
                }
            });
        }
    }

    @Test
    public void connectionsCutUnderLoadLoseNoAcknowledgedPush() throws Exception {
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess(); TcpProxy proxy = new TcpProxy(broker.port())) {
            broker.advertise(proxy.port());
            broker.start();
            underLoad("connections cut", "127.0.0.1:" + proxy.port(), new Outage() {
                @Override
                public void begin() throws Exception {
                    proxy.down();
                }

                @Override
                public void end() throws Exception {
                    Thread.sleep(3000); // a real outage: the clients' reconnect attempts are refused for a while
                    proxy.up();
                }
            });
        }
    }

    private static void underLoad(String name, String brokers, Outage outage) throws Exception {
        KafkaFixture kafka = new KafkaFixture(brokers);
        kafka.before();
        try {
            String topic = kafka.topic("outage", PARTITIONS);
            Map<String, Object> o = kafka.options("p", topic, "prefetch", String.valueOf(PREFETCH), "timeout", "5");
            SharedTestQueue queue = new SharedTestQueue("p");
            KafkaDriver d = kafka.driver(queue, o);
            Ledger ledger = new Ledger(name);
            try (Workers workers = new Workers(queue, 2, ledger);
                    WindowedProducer producer = new WindowedProducer(d, "p", ledger, WINDOW)) {
                d.run(Pipeline.of(o));
                producer.start();
                ledger.phase("before");
                assertTrue(Poll.eventually(() -> workers.runs() > 300, 30));
                ledger.phase("outage");
                outage.begin();
                assertTrue("the outage shows", Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 15));
                outage.end();
                ledger.phase("after");
                int before = ledger.acceptedCount();
                assertTrue("pushes succeed again", Poll.eventually(() -> ledger.acceptedCount() > before + 300, 60));
                producer.finish();
                ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                System.out.printf("%s: %s%n", name, ledger.summary());
                ledger.assertNoneLost();
                // the committed offsets survive: what runs twice is what was at a worker or settled but not yet
                // committed (prefetch per partition and one commit batch), and pushes whose outcome was unknown (at
                // most the producer's window)
                ledger.assertDuplicatesAtMost(WINDOW + PARTITIONS * PREFETCH + 500, "in flight at the outage:"
                        + " the producer's window, prefetch per partition, one commit batch");
                ledger.assertNoRefusalsIn("before", "the broker was up");
            } finally {
                d.stop();
            }
        } finally {
            kafka.after();
        }
    }
}
