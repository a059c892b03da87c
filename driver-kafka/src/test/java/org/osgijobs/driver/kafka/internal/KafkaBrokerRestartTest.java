package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * A broker of the test's own is restarted (SIGTERM, then started again on the same data) while jobs flow both ways:
 * no acknowledged push is lost, consuming and pushing come back by themselves, duplicates stay within what was in
 * flight.
 */
public class KafkaBrokerRestartTest {

    private static final int WINDOW = 100;
    private static final int PREFETCH = 20;
    private static final int PARTITIONS = 3;

    @Test
    public void aBrokerRestartUnderLoadLosesNoAcknowledgedPush() throws Exception {
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess()) {
            broker.start();
            KafkaFixture kafka = new KafkaFixture(broker.brokers());
            kafka.before();
            try {
                String topic = kafka.topic("restart", PARTITIONS);
                Map<String, Object> o = kafka.options("p", topic, "prefetch", String.valueOf(PREFETCH),
                        "timeout", "5");
                SharedTestQueue queue = new SharedTestQueue("p");
                KafkaDriver d = kafka.driver(queue, o);
                Ledger ledger = new Ledger("broker restart");
                AtomicBoolean producing = new AtomicBoolean(true);
                Semaphore inFlight = new Semaphore(WINDOW);
                Thread producer = new Thread(() -> {
                    int n = 0;
                    while (producing.get()) {
                        String id = "job-" + n++;
                        try {
                            inFlight.acquire();
                        } catch (InterruptedException e) {
                            return;
                        }
                        ledger.track(id, d.push(Message.builder("load").id(id).pipeline("p").build()))
                                .whenComplete((ok, error) -> inFlight.release());
                    }
                }, "test-producer");
                try (Workers workers = new Workers(queue, 2, ledger)) {
                    d.run(Pipeline.of(o));
                    producer.start();
                    ledger.phase("before");
                    assertTrue(Poll.eventually(() -> workers.runs() > 300, 30));
                    ledger.phase("broker down");
                    broker.stop();
                    assertTrue("the outage shows", Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 15));
                    broker.start();
                    ledger.phase("after");
                    int before = ledger.acceptedCount();
                    assertTrue("pushes succeed again", Poll.eventually(() -> ledger.acceptedCount() > before + 300,
                            60));
                    producing.set(false);
                    producer.join();
                    inFlight.acquire(WINDOW);
                    ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                    System.out.printf("broker restart: %s%n", ledger.summary());
                    ledger.assertNoneLost();
                    // after a clean broker stop the committed offsets survive: what runs twice is what was at a
                    // worker or settled but not yet committed (prefetch per partition and one commit batch), and
                    // pushes whose outcome was unknown (at most the producer's window)
                    ledger.assertDuplicatesAtMost(WINDOW + PARTITIONS * PREFETCH + 500, "in flight at the restart:"
                            + " the producer's window, prefetch per partition, one commit batch");
                    ledger.assertNoRefusalsIn("before", "the broker was up");
                } finally {
                    producing.set(false);
                    d.stop();
                }
            } finally {
                kafka.after();
            }
        }
    }
}
