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
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.RabbitMqClient;
import org.osgijobs.testing.TcpProxy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.osgijobs.testing.SharedTestQueue;

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
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "exchange", ex,
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
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "publish_window", "50"));
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        // a well-behaved async producer keeps at most what the driver holds: the window and its waiting line
        Semaphore room = new Semaphore(100);
        for (int i = 0; i < 2000; i++) {
            room.acquire();
            CompletableFuture<Void> push = d.push(job("p", "n" + i)).toCompletableFuture();
            push.whenComplete((ok, e) -> room.release());
            pushes.add(push);
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        assertEquals(2000, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void aPushNeverBlocksItsCallerAndBeyondTheWindowAndItsWaitingLineItIsRefusedAtOnce() throws Exception {
        try (TcpProxy proxy = new TcpProxy(RabbitMqBroker.PORT)) {
            String q = amqp.queue("no-room");
            AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr",
                    "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/?connection_timeout=2000")),
                    AmqpFixture.options("p", "queue", q, "routing_key", q, "publish_window", "2", "timeout", "3"));
            proxy.down(); // no confirm comes back: the window stays full
            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(d.push(job("p", "held-" + i)).toCompletableFuture()); // two in the window, two waiting
            }
            long before = System.nanoTime();
            CompletableFuture<Void> fifth = d.push(job("p", "fifth")).toCompletableFuture();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            assertTrue("refused without waiting (took " + tookMillis + " ms)", fifth.isCompletedExceptionally());
            JobsException refused = (JobsException) failure(fifth);
            assertEquals(JobsException.Kind.UNAVAILABLE, refused.kind());
            assertTrue(refused.getMessage(), refused.getMessage().contains("(publish_window)"));
            for (CompletableFuture<Void> push : held) {
                assertFalse("the four pushes it holds are still pending", push.isDone());
            }
            for (CompletableFuture<Void> push : held) {
                assertTrue("each fails within its timeout", failure(push) instanceof JobsException);
            }
            d.stop();
        }
    }

    @Test
    public void aPushNobodyCanReceiveIsAnErrorNotASilentLoss() throws Exception {
        String ex = amqp.exchange("nobody");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "exchange", ex, "routing_key", "k"));
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
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q,
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
        AmqpDriver a = amqp.driver(new SharedTestQueue("a"), AmqpFixture.options("a", "exchange", ex, "queue", qa,
                "routing_key", "key-a"));
        amqp.driver(new SharedTestQueue("b"), AmqpFixture.options("b", "exchange", ex, "queue", qb, "routing_key", "key-b"));
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
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "exchange", ex));
        d.run(org.osgijobs.api.driver.Pipeline.of(AmqpFixture.options("p")));
        State s = d.state();
        assertFalse(s.ready());
        assertEquals("push-only: no queue is shown", "(none)", s.queue());
        assertEquals("", s.errorMessage());
        JobsException e = assertThrows(JobsException.class, () -> d.resume("p"));
        assertTrue(e.getMessage(), e.getMessage().contains("push-only"));
    }

    @Test
    public void theExchangeIsDeclaredWhenTheDriverIsBuilt() throws Exception {
        String ex = amqp.exchange("declared");
        amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "exchange", ex, "exchange_type", "topic"));
        Channel ch = amqp.raw.createChannel();
        assertNotNull(ch.exchangeDeclarePassive(ex));
    }

    @Test
    public void aBrokerRefusingTheTopologyIsAConfigurationError() throws Exception {
        String ex = amqp.exchange("clash");
        amqp.raw.createChannel().exchangeDeclare(ex, "fanout");
        JobsException e = assertThrows(JobsException.class, () -> amqp.driver(new SharedTestQueue("p"),
                AmqpFixture.options("p", "exchange", ex, "exchange_type", "direct")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': the broker"));
        assertTrue(e.getMessage(), e.getMessage().contains("PRECONDITION_FAILED"));
        assertFalse(e.getMessage(), e.getMessage().contains("guest"));
    }
}
