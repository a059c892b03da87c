package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.SharedTestQueue;

/**
 * A consuming pipeline has a feeder thread only while the runtime's queue is full: deliveries that fit go straight
 * in, the others wait in order for the feeder, which ends once it has nothing left to do.
 */
public class AmqpFeederTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static long feeders(String pipeline) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("amqp-" + pipeline + "-feed")).count();
    }

    @Test
    public void aFeederRunsOnlyWhileTheQueueIsFullAndKeepsTheOrder() throws Exception {
        String pipeline = RabbitMqBroker.unique("feed");
        String q = amqp.queue("feed");
        SharedTestQueue queue = new SharedTestQueue(pipeline, 3);
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options(pipeline, "queue", q, "routing_key", q,
                "prefetch", "20"));
        d.run(Pipeline.of(AmqpFixture.options(pipeline)));
        d.push(Message.builder("x").id("j0").pipeline(pipeline).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertTrue(Poll.eventually(() -> queue.size() == 1, 30));
        Job first = queue.poll(1, TimeUnit.SECONDS);
        assertEquals("j0", first.id());
        first.settle(Settlement.ack());
        assertEquals("a delivery that fits needs no feeder", 0, feeders(pipeline));

        for (int i = 1; i <= 10; i++) {
            d.push(Message.builder("x").id("j" + i).pipeline(pipeline).build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        // three fit; the other seven wait in the buffer for the feeder, blocked on the full queue
        assertTrue(Poll.eventually(() -> queue.size() == 3 && d.state().reserved() == 10, 30));
        assertEquals(1, feeders(pipeline));
        List<String> order = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Job job = queue.poll(30, TimeUnit.SECONDS);
            assertNotNull(job);
            order.add(job.id());
            job.settle(Settlement.ack());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            expected.add("j" + i);
        }
        assertEquals(expected, order);
        assertTrue("the feeder ends when idle", Poll.eventually(() -> feeders(pipeline) == 0, 30));
    }
}
