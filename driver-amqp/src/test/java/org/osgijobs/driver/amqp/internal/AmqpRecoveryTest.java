package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.RabbitMqClient;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * The driver owns recovery: connections cut under load (through a proxy, so that only this test's connections
 * suffer) or closed by the broker lose no confirmed job, and consuming resumes by itself.
 */
public class AmqpRecoveryTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    /** How long a rabbitmqctl call may take. */
    private static final Duration RABBITMQCTL = Duration.ofSeconds(60);

    private TcpProxy proxy;

    @Before
    public void proxy() throws IOException {
        proxy = new TcpProxy(RabbitMqBroker.PORT);
    }

    @After
    public void closeProxy() throws IOException {
        proxy.close();
    }

    private ConnectionSettings viaProxy() {
        return ConnectionSettings.of(Map.of("addr", "amqp://guest:guest@127.0.0.1:" + proxy.port()
                + "/?heartbeat=2&connection_timeout=2000"));
    }

    @Test
    public void fiveCutsUnderLoadLoseNoConfirmedJob() throws Exception {
        String q = amqp.queue("cuts");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, viaProxy(), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "durable", "true", "prefetch", "50", "timeout", "20"));
        Ledger ledger = new Ledger("recovery under load");
        AtomicBoolean producing = new AtomicBoolean(true);
        Semaphore inFlight = new Semaphore(200);
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
            d.run(Pipeline.of(AmqpFixture.options("p")));
            producer.start();
            for (int cut = 0; cut < 5; cut++) {
                ledger.phase("cut " + (cut + 1));
                int before = workers.runs();
                assertTrue(Poll.eventually(() -> workers.runs() > before + 200, 60));
                proxy.cut();
            }
            ledger.phase("after the cuts");
            assertTrue(Poll.eventually(() -> ledger.acceptedCount() >= 2000 && d.state().errorMessage().isEmpty(),
                    60));
            producing.set(false);
            producer.join();
            inFlight.acquire(200); // every push has an outcome
            // every confirmed job is processed
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(120));
            System.out.printf("%s, %d connections through the proxy%n", ledger.summary(), proxy.accepted());
            assertTrue("reconnected after each cut", proxy.accepted() >= 6);
            ledger.assertNoneLost();
            // per cut: the broker redelivers at most the unacknowledged deliveries (prefetch 50), and the driver
            // publishes again at most the publishes left unconfirmed, which the producer keeps below its window of
            // 200 (the driver's publish_window of 1000 is larger)
            ledger.assertDuplicatesAtMost(5 * (50 + 200), "each of 5 cuts redelivers at most the prefetch of 50 and"
                    + " re-sends at most the producer's 200 unconfirmed pushes");
        }
    }

    @Test
    public void aPushDuringAnOutageFailsClearlyWithinTimeoutAndConsumingComesBack() throws Exception {
        String q = amqp.queue("outage");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, viaProxy(), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "timeout", "2"));
        d.run(Pipeline.of(AmqpFixture.options("p")));
        proxy.down();
        assertTrue(Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 30));
        CompletableFuture<Void> during = d.push(Message.builder("during").pipeline("p").build())
                .toCompletableFuture();
        ExecutionException e = org.junit.Assert.assertThrows(ExecutionException.class,
                () -> during.get(15, TimeUnit.SECONDS));
        String message = e.getCause().getMessage();
        assertTrue(message, message.contains("job 'during'"));
        assertTrue(message, message.contains("was not stored within 2 s (timeout)"));
        assertTrue(message, message.contains("no connection"));
        assertFalse(message, message.contains("guest"));

        proxy.up();
        assertTrue(Poll.eventually(() -> d.state().errorMessage().isEmpty(), 30));
        d.push(Message.builder("after").id("after").pipeline("p").build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull("consuming was restored", job);
        assertEquals("after", job.id());
        job.settle(Settlement.ack());
    }

    @Test
    public void pushesWaitingForTheConnectionAreStoredWhenItReturns() throws Exception {
        String q = amqp.queue("waiting");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), viaProxy(), AmqpFixture.options("p", "queue", q, "routing_key",
                q, "timeout", "30"));
        proxy.down();
        assertTrue(Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 30));
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pushes.add(d.push(Message.builder("w").pipeline("p").build()).toCompletableFuture());
        }
        assertFalse(pushes.get(0).isDone());
        proxy.up();
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertEquals(10, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void unacknowledgedDeliveriesComeBackAndStaleCopiesLeaveTheQueue() throws Exception {
        String q = amqp.queue("unacked");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, viaProxy(), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "prefetch", "5"));
        for (int i = 0; i < 5; i++) {
            d.push(Message.builder("u").id("u" + i).pipeline("p").build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(AmqpFixture.options("p")));
        assertTrue(Poll.eventually(() -> queue.size() == 5, 30));
        Job atWorker = queue.poll(1, TimeUnit.SECONDS);
        proxy.cut();
        // after the reconnect the broker delivers all five again; the old copies were withdrawn
        assertTrue(Poll.eventually(() -> queue.size() == 5 && d.state().errorMessage().isEmpty(), 30));
        // its channel is gone: skipped, the redelivery counts
        assertEquals(Custody.BROKER, atWorker.settle(Settlement.ack()));
        try (Workers workers = new Workers(queue, 1)) {
            assertTrue(Poll.eventually(() -> workers.distinct() == 5, 30));
            assertEquals(5, workers.runs());
        }
    }

    @Test
    public void aConnectionClosedByTheBrokerIsRecovered() throws Exception {
        String q = amqp.queue("forced");
        SharedTestQueue queue = new SharedTestQueue("forced-p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("forced-p", "queue", q, "routing_key", q));
        d.run(Pipeline.of(AmqpFixture.options("forced-p")));
        int closed = 0;
        for (String line : RabbitMqBroker.rabbitmqctl(RABBITMQCTL, "list_connections", "--no-table-headers", "pid",
                "client_properties")) {
            if (line.contains("{\"connection_name\",\"osgijobs-forced-p\"}")) {
                RabbitMqBroker.rabbitmqctl(RABBITMQCTL, "close_connection", line.substring(0, line.indexOf('\t')),
                        "test: forced close");
                closed++;
            }
        }
        assertEquals(1, closed);
        assertTrue(Poll.eventually(() -> d.state().errorMessage().contains("lost"), 30));
        assertTrue(Poll.eventually(() -> d.state().errorMessage().isEmpty() && d.state().ready(), 30));
        d.push(Message.builder("back").pipeline("forced-p").build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);
        job.settle(Settlement.ack());
    }
}
