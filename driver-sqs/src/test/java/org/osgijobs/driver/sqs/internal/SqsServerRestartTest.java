package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.WindowedProducer;
import org.osgijobs.testing.Workers;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ, with its H2 message storage, is restarted (SIGTERM, then started again on the same store) while jobs
 * flow both ways: no acknowledged push is lost, consuming comes back by itself, duplicates stay bounded.
 */
public class SqsServerRestartTest {

    private static final int WINDOW = 100;

    @Test
    public void aServerRestartUnderLoadLosesNoAcknowledgedPush() throws Exception {
        try (ElasticMqProcess server = new ElasticMqProcess()) {
            server.start();
            Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("name", "p");
            o.put("driver", "sqs");
            o.put("timeout", "5");
            o.put("queue", "restart");
            o.put("prefetch", "10");
            o.put("max_messages_in_flight", "50");
            o.put("wait_time_seconds", "1");
            // messages received just before the server died come back after it
            o.put("visibility_timeout", "5");
            SharedTestQueue queue = new SharedTestQueue("p");
            SqsClient client = SqsFixture.settings(server.endpoint()).client(5);
            SqsDriver d = new SqsDriver(Pipeline.of(o), client, server.endpoint(), queue, x -> {
            });
            d.start();
            Ledger ledger = new Ledger("server restart");
            try (Workers workers = new Workers(queue, 2, ledger);
                    WindowedProducer producer = new WindowedProducer(d, "p", ledger, WINDOW)) {
                d.run(Pipeline.of(o));
                producer.start();
                ledger.phase("before");
                assertTrue(Poll.eventually(() -> workers.runs() > 100, 30));
                ledger.phase("server down");
                server.stop();
                assertTrue("the outage shows", Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 10));
                server.start();
                ledger.phase("after");
                int before = ledger.acceptedCount();
                assertTrue("pushes succeed again", Poll.eventually(() -> ledger.acceptedCount() > before + 100, 60));
                producer.finish();
                try {
                    ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + d.state(), e);
                }
                System.out.printf("server restart: %s%n", ledger.summary());
                ledger.assertNoneLost();
                // a delete that the stopping server did not get (or did not store) leaves its message to run again,
                // and a push refused during the outage may still have been stored
                ledger.assertDuplicatesAtMost(50 + WINDOW, "at most what was held (max_messages_in_flight 50) and"
                        + " the producer's " + WINDOW + " pushes in flight");
                ledger.assertNoRefusalsIn("before", "the server was up");
            } finally {
                d.stop();
                client.close();
            }
        }
    }
}
