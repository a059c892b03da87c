package org.osgijobs.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/** {@link RabbitMqBroker} and {@link RabbitMqClient} against the test broker (skipped, loudly, without one). */
public class RabbitMqTest {

    @Before
    public void broker() {
        RabbitMqBroker.assumeReachable();
    }

    @Test
    public void countsPurgesAndDeletesAQueue() throws Exception {
        assertTrue(RabbitMqBroker.reachable());
        String q = RabbitMqBroker.unique("test-support");
        assertTrue(q, q.matches("test-support-[0-9a-f]{8}"));
        try (Connection c = RabbitMqClient.connect("test-support-test")) {
            assertEquals("a queue that does not exist", -1, RabbitMqClient.count(c, q));
            Channel ch = c.createChannel();
            ch.queueDeclare(q, false, false, false, null);
            ch.confirmSelect();
            for (int i = 0; i < 3; i++) {
                ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(10_000);
            assertEquals(3, RabbitMqClient.count(c, q));
            assertEquals(3, RabbitMqClient.count(q));
            Optional<RabbitMqBroker.QueueCounts> counts = RabbitMqBroker.queueCounts(q);
            assertTrue(counts.isPresent());
            assertEquals(3, counts.get().ready());
            assertFalse(counts.get().settled());
            assertEquals(3, RabbitMqClient.purge(c, q));
            assertEquals(0, RabbitMqClient.count(c, q));
            RabbitMqClient.deleteQueue(c, q);
            RabbitMqClient.deleteQueue(c, q); // gone already: no error
            assertEquals(-1, RabbitMqClient.count(q));
            assertEquals(Optional.empty(), RabbitMqBroker.queueCounts(q));
        }
        RabbitMqClient.deleteAll(List.of(q), List.of(RabbitMqBroker.unique("no-exchange")));
    }
}
