package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
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
 * Pipelines of one constructor share one TCP connection, each with channels of its own; the connection's loss
 * reaches all of them and each recovers; one pipeline's channel failure or stop leaves the others alone; the last
 * one to stop closes the connection.
 */
public class AmqpSharedConnectionTest {
    private static final Duration RABBITMQCTL = Duration.ofSeconds(60);

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private AmqpConstructor constructor;
    private final List<AmqpDriver> drivers = new ArrayList<>();
    private final List<SharedTestQueue> queues = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    @Before
    public void activate() {
        constructor = new AmqpConstructor();
        constructor.activate(Map.of("addr", RabbitMqBroker.ADDR));
    }

    @After
    public void deactivate() {
        constructor.deactivate();
    }

    private AmqpDriver pipeline(String prefix) {
        String name = RabbitMqBroker.unique(prefix);
        String q = amqp.queue(prefix);
        TestDriverContext context = TestDriverContext.declared(AmqpFixture.options(name, "queue", q,
                "routing_key", q));
        AmqpDriver d = (AmqpDriver) constructor.create(context);
        d.run(context.pipeline());
        drivers.add(d);
        queues.add((SharedTestQueue) context.queue());
        names.add(name);
        return d;
    }

    /** Pushes one job through pipeline i and takes it from its queue. */
    private void roundTrip(int i) throws Exception {
        drivers.get(i).push(Message.builder("x").pipeline(names.get(i)).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Job job = queues.get(i).poll(30, TimeUnit.SECONDS);
        assertNotNull("pipeline " + names.get(i) + " consumes", job);
        job.settle(Settlement.ack());
    }

    /** @return the broker's lines (pid, channels) of the connections named as this constructor names them */
    private List<String[]> brokerConnections(String name) throws Exception {
        List<String[]> found = new ArrayList<>();
        for (String line : RabbitMqBroker.rabbitmqctl(RABBITMQCTL, "list_connections", "--no-table-headers", "pid",
                "channels", "client_properties")) {
            if (line.contains("{\"connection_name\",\"" + name + "\"}")) {
                found.add(line.split("\t"));
            }
        }
        return found;
    }

    @Test
    public void threePipelinesUseOneConnectionWithChannelsOfTheirOwn() throws Exception {
        for (int i = 0; i < 3; i++) {
            pipeline("share");
        }
        for (int i = 0; i < 3; i++) {
            roundTrip(i);
        }
        String name = drivers.get(0).connectionName();
        assertEquals(name, drivers.get(2).connectionName());
        assertEquals(1, constructor.connections());
        List<String[]> broker = brokerConnections(name);
        assertEquals("one TCP connection at the broker", 1, broker.size());
        // each pipeline: a publishing, a declaring and a consuming channel
        assertEquals(9, Integer.parseInt(broker.get(0)[1].trim()));
    }

    @Test
    public void theConnectionsLossIsRecoveredByEveryPipeline() throws Exception {
        pipeline("lossa");
        pipeline("lossb");
        List<String[]> broker = brokerConnections(drivers.get(0).connectionName());
        assertEquals(1, broker.size());
        RabbitMqBroker.rabbitmqctl(RABBITMQCTL, "close_connection", broker.get(0)[0], "test: forced close");
        for (AmqpDriver d : drivers) {
            assertTrue(Poll.eventually(() -> d.state().errorMessage().isEmpty() && d.state().ready()
                    && d.state().errorMessage().isEmpty(), 30));
        }
        assertTrue(Poll.eventually(() -> {
            try {
                return brokerConnections(drivers.get(0).connectionName()).size() == 1;
            } catch (Exception e) {
                return false;
            }
        }, 30));
        roundTrip(0);
        roundTrip(1);
        assertEquals(1, constructor.connections());
    }

    @Test
    public void onePipelinesChannelFailureOrStopLeavesTheOthersAlone() throws Exception {
        pipeline("alone");
        pipeline("other");
        pipeline("third");
        // deleting its queue cancels pipeline 0's consumer: its session is lost and rebuilt, the connection stays
        amqp.raw.createChannel().queueDelete(drivers.get(0).state().queue());
        assertTrue(Poll.eventually(() -> drivers.get(0).state().errorMessage().isEmpty()
                && drivers.get(0).state().ready(), 30));
        roundTrip(0);
        drivers.get(1).stop();
        roundTrip(0);
        roundTrip(2);
        List<String[]> broker = brokerConnections(drivers.get(0).connectionName());
        assertEquals(1, broker.size());
        assertEquals("pipelines 0 and 2: three channels each", 6, Integer.parseInt(broker.get(0)[1].trim()));
        drivers.get(0).stop();
        drivers.get(2).stop();
        assertEquals("the last pipeline closed the connection", 0, constructor.connections());
        assertTrue(brokerConnections(drivers.get(0).connectionName()).isEmpty());
    }
}
