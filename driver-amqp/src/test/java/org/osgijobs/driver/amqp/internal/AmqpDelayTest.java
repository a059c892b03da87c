package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.Channel;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/** Delayed jobs: per-delay queues that dead-letter back, confirmed, counted in the state. */
public class AmqpDelayTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private long count(String queue) {
        try {
            return RabbitMqClient.count(amqp.raw, queue);
        } catch (IOException e) {
            return -2;
        }
    }

    @Test
    public void aDelayedJobWaitsInItsDelayQueueThenReachesTheDurableQueue() throws Exception {
        String q = amqp.queue("durable");
        String ex = amqp.exchange("delay-ex");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "exchange", ex,
                "routing_key", "rk", "durable", "true", "exchange_durable", "true"));
        String delayQueue = amqp.track("delayed-2000." + ex + "." + q);
        d.push(Message.builder("later").pipeline("p").delay(2).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        long pushedAt = System.nanoTime();
        assertEquals("confirmed means it is stored in the delay queue", 1, count(delayQueue));
        assertEquals(0, count(q));
        assertEquals(1, d.state().delayed());
        assertTrue(Poll.eventually(() -> count(q) == 1, 30));
        assertTrue("not before its delay", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushedAt) >= 1500);
        assertEquals(0, count(delayQueue));
        assertEquals(0, d.state().delayed());
    }

    @Test
    public void delayQueuesHaveRoadRunnersNameAndArguments() throws Exception {
        String q = amqp.queue("args");
        String ex = amqp.exchange("args-ex");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "exchange", ex,
                "routing_key", "rk"));
        String delayQueue = amqp.track("delayed-5000." + ex + "." + q);
        d.push(Message.builder("later").pipeline("p").delay(5).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Channel ch = amqp.raw.createChannel();
        // RoadRunner declares the same queue with these arguments: the declarations are equivalent
        ch.queueDeclare(delayQueue, true, false, false, Map.of("x-dead-letter-exchange", ex,
                "x-dead-letter-routing-key", "rk", "x-message-ttl", 5000L, "x-expires", 10000L));
        assertEquals(1, count(delayQueue));
        Channel other = amqp.raw.createChannel();
        boolean refused = false;
        try {
            other.queueDeclare(delayQueue, true, false, false, Map.of("x-dead-letter-exchange", ex,
                    "x-dead-letter-routing-key", "rk", "x-message-ttl", 4000L, "x-expires", 10000L));
        } catch (IOException e) {
            refused = true;
        }
        assertTrue("a different TTL is another queue: the broker refuses it", refused);
    }

    @Test
    public void stateCountsReadyAndDelayedJobsWhilePausedAndBothRunAfterResume() throws Exception {
        String q = amqp.queue("stats");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "priority", "3"));
        amqp.track("delayed-1000.amqp.default." + q);
        d.push(Message.builder("plain").id("plain").pipeline("p").build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        d.push(Message.builder("delayed").id("delayed").pipeline("p").delay(1).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        State paused = d.state();
        assertEquals(1, paused.active());
        assertEquals(1, paused.delayed());
        assertEquals(3, paused.priority());
        assertFalse(paused.ready());
        assertEquals("amqp", paused.driver());
        assertEquals(q, paused.queue());
        try (Workers workers = new Workers(queue, 1)) {
            d.run(Pipeline.of(AmqpFixture.options("p")));
            assertTrue(Poll.eventually(() -> workers.distinct() == 2, 30));
            assertEquals(1, workers.count("plain"));
            assertEquals(1, workers.count("delayed"));
        }
        assertTrue(Poll.eventually(() -> {
            State s = d.state();
            return s.active() == 0 && s.delayed() == 0 && s.reserved() == 0;
        }, 30));
        assertTrue(d.state().ready());
    }
}
