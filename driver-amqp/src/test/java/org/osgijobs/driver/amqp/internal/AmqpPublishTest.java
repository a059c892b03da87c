package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

/** Publishing with confirms against the real broker. */
public class AmqpPublishTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static Message job(String pipeline, String name) {
        return Message.builder(name).pipeline(pipeline).payload("payload of " + name).build();
    }

    private static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    public void aConfirmedPushIsInTheQueueAndTheQueueExistsBeforeConsuming() throws Exception {
        String q = amqp.queue("pub");
        String ex = amqp.exchange("pub-ex");
        AmqpDriver d = amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "queue", q, "exchange", ex,
                "routing_key", q));
        await(d.push(job("p", "one")));
        assertEquals(1, RabbitMqClient.count(amqp.raw, q));
        Channel ch = amqp.raw.createChannel();
        GetResponse r = ch.basicGet(q, true);
        assertEquals("payload of one", new String(r.getBody(), StandardCharsets.UTF_8));
        assertEquals(Integer.valueOf(2), r.getProps().getDeliveryMode());
    }

    @Test
    public void asynchronousPushesCompleteAsTheirConfirmsArrive() throws Exception {
        String q = amqp.queue("window");
        AmqpDriver d = amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "publish_window", "50"));
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            pushes.add(d.push(job("p", "n" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        assertEquals(2000, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void aPushNobodyCanReceiveIsAnErrorNotASilentLoss() throws Exception {
        String ex = amqp.exchange("nobody");
        AmqpDriver d = amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "exchange", ex, "routing_key", "k"));
        Throwable e = failure(d.push(job("p", "lost")));
        assertTrue(e instanceof JobsException);
        assertTrue(e.getMessage(), e.getMessage().contains("job 'lost'"));
        assertTrue(e.getMessage(), e.getMessage().contains("NO_ROUTE"));
        assertTrue(e.getMessage(), e.getMessage().contains("no queue is bound to exchange '" + ex
                + "' with routing key 'k'"));
        // the driver goes on: once a queue is bound, pushes are stored
        String q = amqp.queue("late");
        amqp.raw.createChannel().queueDeclare(q, false, false, false, null);
        amqp.raw.createChannel().queueBind(q, ex, "k");
        await(d.push(job("p", "kept")));
        assertEquals(1, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void aBrokerNackFailsThePush() throws Exception {
        String q = amqp.queue("full");
        AmqpDriver d = amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "queue_headers", "{\"x-max-length\":1,\"x-overflow\":\"reject-publish\"}"));
        await(d.push(job("p", "first")));
        Throwable e = failure(d.push(job("p", "second")));
        assertTrue(e.getMessage(), e.getMessage().contains("job 'second'"));
        assertTrue(e.getMessage(), e.getMessage().contains("basic.nack"));
        assertEquals(1, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void xRoutingKeySendsOneJobElsewhereAndIsNotCarriedOn() throws Exception {
        String ex = amqp.exchange("route");
        String qa = amqp.queue("a");
        String qb = amqp.queue("b");
        AmqpDriver a = amqp.driver(new TestQueue("a"), AmqpFixture.options("a", "exchange", ex, "queue", qa,
                "routing_key", "key-a"));
        amqp.driver(new TestQueue("b"), AmqpFixture.options("b", "exchange", ex, "queue", qb, "routing_key", "key-b"));
        await(a.push(Message.builder("elsewhere").pipeline("a").header("x-routing-key", "key-b")
                .header("keep", "me").build()));
        assertEquals(0, RabbitMqClient.count(amqp.raw, qa));
        assertEquals(1, RabbitMqClient.count(amqp.raw, qb));
        GetResponse r = amqp.raw.createChannel().basicGet(qb, true);
        String headers = new String((byte[]) r.getProps().getHeaders().get("rr_headers"), StandardCharsets.UTF_8);
        assertEquals("{\"keep\":[\"me\"]}", headers);
    }

    @Test
    public void aPushOnlyPipelineHasNothingToConsume() throws Exception {
        String ex = amqp.exchange("only");
        AmqpDriver d = amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "exchange", ex));
        d.run(org.osgijobs.api.driver.Pipeline.of(AmqpFixture.options("p")));
        State s = d.state();
        assertFalse(s.ready());
        assertEquals("p", s.queue());
        assertEquals("", s.errorMessage());
        JobsException e = assertThrows(JobsException.class, () -> d.resume("p"));
        assertTrue(e.getMessage(), e.getMessage().contains("push-only"));
    }

    @Test
    public void theExchangeIsDeclaredWhenTheDriverIsBuilt() throws Exception {
        String ex = amqp.exchange("declared");
        amqp.driver(new TestQueue("p"), AmqpFixture.options("p", "exchange", ex, "exchange_type", "topic"));
        Channel ch = amqp.raw.createChannel();
        assertNotNull(ch.exchangeDeclarePassive(ex));
    }

    @Test
    public void aBrokerRefusingTheTopologyIsAConfigurationError() throws Exception {
        String ex = amqp.exchange("clash");
        amqp.raw.createChannel().exchangeDeclare(ex, "fanout");
        JobsException e = assertThrows(JobsException.class, () -> amqp.driver(new TestQueue("p"),
                AmqpFixture.options("p", "exchange", ex, "exchange_type", "direct")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': the broker"));
        assertTrue(e.getMessage(), e.getMessage().contains("PRECONDITION_FAILED"));
        assertFalse(e.getMessage(), e.getMessage().contains("guest"));
    }
}
