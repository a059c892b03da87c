package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.RabbitMqClient;
import org.osgijobs.testing.SharedTestQueue;

/** A stopped driver leaves nothing running: a driver bundle can go away without leaking threads. */
public class AmqpLifecycleTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static long threadsOf(String pipeline) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("amqp-" + pipeline + "-")).count();
    }

    @Test
    public void stopLeavesNoThreadBehind() throws Exception {
        String pipeline = RabbitMqBroker.unique("life");
        String q = amqp.queue("life");
        SharedTestQueue queue = new SharedTestQueue(pipeline);
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options(pipeline, "queue", q, "routing_key", q));
        d.run(Pipeline.of(AmqpFixture.options(pipeline)));
        d.push(Message.builder("x").pipeline(pipeline).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(Poll.eventually(() -> queue.size() == 1, 30));
        assertTrue(threadsOf(pipeline) > 0);
        d.stop();
        assertTrue("threads left: " + threadsOf(pipeline), Poll.eventually(() -> threadsOf(pipeline) == 0, 30));
    }

    @Test
    public void theConstructorStopsWhatItBuiltWhenItGoesAway() throws Exception {
        String pipeline = RabbitMqBroker.unique("ctor");
        String q = amqp.queue("ctor");
        AmqpConstructor constructor = new AmqpConstructor();
        constructor.activate(Map.of("addr", RabbitMqBroker.ADDR));
        assertEquals("amqp", constructor.name());
        Driver d = constructor.create(TestDriverContext.configured("jobs.pipeline~x", AmqpFixture.options(pipeline,
                "queue", q, "routing_key", q)));
        d.push(Message.builder("x").pipeline(pipeline).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        constructor.deactivate();
        assertTrue(Poll.eventually(() -> threadsOf(pipeline) == 0, 30));
        assertEquals("the job stays with the broker", 1, RabbitMqClient.count(amqp.raw, q));
    }
}
