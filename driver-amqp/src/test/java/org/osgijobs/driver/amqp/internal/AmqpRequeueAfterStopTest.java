package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * A job whose handler outlives {@link AmqpDriver#stop()} and then fails: the runtime requeues it (with new
 * headers, e.g. the attempt count) on a stopped driver. Exactly one copy of it may survive: the original, which
 * the broker still holds as an unacknowledged delivery.
 */
public class AmqpRequeueAfterStopTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static final List<String> IDS = List.of("late-0", "late-1", "late-2", "late-3");

    @Test
    public void aRequeueAfterStopLeavesTheOriginalWithTheBrokerAndKeepsNoCopy() throws Exception {
        String q = amqp.queue("late");
        SharedTestQueue first = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(first, AmqpFixture.options("p", "queue", q, "routing_key", q, "timeout", "1"));
        for (String id : IDS) {
            d.push(Message.builder("job").id(id).pipeline("p").header("attempt", "1").build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(AmqpFixture.options("p")));
        assertTrue(Poll.eventually(() -> first.size() == IDS.size(), 30));
        Job requeued = first.poll(1, TimeUnit.SECONDS); // running: taken, not settled
        Job nackedWithDelay = first.poll(1, TimeUnit.SECONDS);
        assertNotNull(requeued);
        assertNotNull(nackedWithDelay);

        d.stop(); // gives the two running jobs its timeout (1 s), then closes the channel

        // a requeue with new headers, and one with the job's own headers and a delay: the broker keeps the
        // originals, so the runtime keeps no copy
        assertEquals(Custody.BROKER, requeued.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));
        assertEquals(Custody.BROKER, nackedWithDelay.settle(Settlement.requeue(nackedWithDelay.headers(), 1)));
        String delayQueue = amqp.track("delayed-1000.." + q);

        SharedTestQueue second = new SharedTestQueue("next");
        AmqpDriver next = amqp.driver(second, AmqpFixture.options("next", "queue", q, "routing_key", q));
        Ledger ledger = new Ledger("requeue after stop");
        IDS.forEach(ledger::accepted);
        try (Workers workers = new Workers(second, 2, ledger)) {
            next.run(Pipeline.of(AmqpFixture.options("next")));
            assertTrue(Poll.eventually(() -> workers.distinct() == IDS.size(), 30));
            // a barrier: a copy published before it would have come before it
            next.push(Message.builder("barrier").id("barrier").pipeline("next").build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertTrue(Poll.eventually(() -> workers.count("barrier") == 1, 30));
            ledger.accepted("barrier");
            ledger.assertNoneLost();
            // the broker kept only the originals (Custody.BROKER): a copy republished by the requeues would run twice
            ledger.assertDuplicatesAtMost(0, "a requeue after stop keeps no copy");
            assertEquals(IDS.size() + 1, workers.runs());
            for (Job job : workers.jobs()) {
                if (job.id().equals(requeued.id())) {
                    assertEquals("the original, as delivered: the requeue's headers are not kept",
                            Map.of("attempt", List.of("1")), job.headers());
                }
            }
        }
        assertEquals("no copy waits in a delay queue", -1, RabbitMqClient.count(amqp.raw, delayQueue));
        assertTrue(Poll.eventually(() -> count(q) == 0 && next.state().reserved() == 0, 30));
    }

    @Test
    public void aRequeueAfterStopOfADeliveryAMultipleAckCoveredIsLeftToTheRuntime() throws Exception {
        String q = amqp.queue("late-multi");
        SharedTestQueue first = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(first, AmqpFixture.options("p", "queue", q, "routing_key", q, "timeout", "1",
                "multiple_ack", "true"));
        for (String id : IDS.subList(0, 2)) {
            d.push(Message.builder("job").id(id).pipeline("p").build()).toCompletableFuture().get(30,
                    TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(AmqpFixture.options("p")));
        assertTrue(Poll.eventually(() -> first.size() == 2, 30));
        Job covered = first.poll(1, TimeUnit.SECONDS);
        // acknowledges the first delivery too (multiple_ack)
        first.poll(1, TimeUnit.SECONDS).settle(Settlement.ack());
        d.stop();
        assertEquals("the broker holds no copy of it", 0, count(q));
        // the broker has forgotten it: the runtime must keep the only copy (Custody.RUNTIME)
        assertEquals(Custody.RUNTIME, covered.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));
    }

    @Test
    public void aRequeueWhileStoppingWithTheChannelOpenReturnsTheOriginalToItsQueue() throws Exception {
        String q = amqp.queue("stopping");
        PipelineOptions options = PipelineOptions.of(Pipeline.of(AmqpFixture.options("p", "queue", q,
                "routing_key", q)));
        Topology topology = new Topology(options);
        Channel raw = amqp.raw.createChannel();
        topology.declareExchange(raw);
        SharedTestQueue queue = new SharedTestQueue("p");
        TestHost host = new TestHost();
        Consumption c = Consumption.open(new Session(1, amqp.raw, raw, raw), options, queue, host);
        c.subscribe(topology);
        Message m = Message.builder("job").id("stopping-1").header("attempt", "1").build();
        raw.basicPublish("", q, WireFormat.properties(m, "p", 10, m.headers()), new byte[0]);
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);
        c.unsubscribe();
        host.stopped = true; // the driver's publisher is closed, its consuming channel not yet

        assertEquals(Custody.BROKER, job.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));

        assertEquals(0, host.republished.get());
        assertEquals(0, c.outstanding());
        assertTrue(Poll.eventually(() -> count(q) == 1, 30));
        GetResponse back = raw.basicGet(q, true);
        assertTrue("the original delivery, returned", back.getEnvelope().isRedeliver());
        assertEquals(Map.of("attempt", List.of("1")), WireFormat.decode(back.getProps().getHeaders(), 10).headers());
        c.close();
    }

    private long count(String q) {
        try {
            return RabbitMqClient.count(amqp.raw, q);
        } catch (IOException e) {
            return -2;
        }
    }
}
