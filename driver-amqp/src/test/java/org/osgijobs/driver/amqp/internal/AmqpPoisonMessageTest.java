package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * Deliveries the driver cannot read must not hold a prefetch slot: each one ends handed to the runtime (with
 * defaults) or rejected, never left unacknowledged. With {@code prefetch=1} a delivery left unacknowledged would
 * stop the pipeline, so the message behind it is the proof.
 */
public class AmqpPoisonMessageTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    /**
     * {@code rr_headers} nested 10,000 arrays deep: the recursive JSON reader overflowed its stack on it, in the
     * consumer's dispatch, until it was bounded ({@link Json#MAX_DEPTH}); now a malformed field.
     */
    static byte[] deepRrHeaders() {
        return ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
    }

    private static AMQP.BasicProperties job(String id) {
        Message m = Message.builder("Good").id(id).build();
        return WireFormat.properties(m, "p", 10, m.headers());
    }

    @Test
    public void aDeliveryWhoseHeadersBreakTheReaderRunsAndFreesItsPrefetchSlot() throws Exception {
        String q = amqp.queue("poison");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "prefetch", "1"));
        d.run(Pipeline.of(AmqpFixture.options("p")));
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("rr_id", "poison-1");
        headers.put("rr_job", "Poison");
        headers.put("rr_headers", deepRrHeaders());
        Channel ch = amqp.raw.createChannel();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(headers).build(), new byte[0]);
        ch.basicPublish("", q, job("good-1"), new byte[0]);

        Ledger ledger = new Ledger("poison");
        ledger.accepted("poison-1");
        ledger.accepted("good-1");
        try (Workers workers = new Workers(queue, 1, ledger)) {
            assertTrue("both ran: " + workers.seen(), Poll.eventually(() -> workers.distinct() == 2, 30));
            ledger.assertNoneLost();
            // each delivery is acked once it ran: the poison one must free its prefetch slot, not come back
            ledger.assertDuplicatesAtMost(0, "neither delivery is redelivered");
            assertEquals(2, workers.runs());
            Job poison = workers.jobs().stream().filter(j -> j.id().equals("poison-1")).findFirst().get();
            assertEquals("Poison", poison.name());
            assertEquals("its malformed rr_headers fall back to none", Map.of(), poison.headers());
        }
        assertTrue(Poll.eventually(() -> d.state().reserved() == 0 && count(q) == 0, 30));
    }

    @Test
    public void aDeliveryThatCannotBeReadAtAllIsRejectedNotLeftUnacknowledged() throws Exception {
        String q = amqp.queue("unreadable");
        String dlq = amqp.queue("unreadable-dead");
        Channel raw = amqp.raw.createChannel();
        raw.queueDeclare(dlq, false, false, false, null);
        // rejected deliveries are dead-lettered here, where the test can see them arrive
        PipelineOptions options = PipelineOptions.of(Pipeline.of(AmqpFixture.options("p", "queue", q,
                "routing_key", q, "prefetch", "1", "queue_headers",
                "{\"x-dead-letter-exchange\":\"\",\"x-dead-letter-routing-key\":\"" + dlq + "\"}")));
        Topology topology = new Topology(options);
        topology.declareExchange(raw);
        SharedTestQueue queue = new SharedTestQueue("p");
        Consumption c = Consumption.open(new Session(1, amqp.raw, raw, raw), options, queue, new TestHost(),
                (envelope, properties) -> {
                    throw new StackOverflowError("not even the defaults could be read (test)");
                });
        c.subscribe(topology);
        raw.basicPublish("", q, job("dead-1"), new byte[0]);
        raw.basicPublish("", q, job("dead-2"), new byte[0]);

        // with prefetch=1 the second is delivered only once the first was settled
        assertTrue(Poll.eventually(() -> count(dlq) == 2, 30));
        assertEquals(0, count(q));
        assertEquals("nothing reached the runtime", 0, queue.size());
        assertEquals(0, c.outstanding());
        for (String id : List.of("dead-1", "dead-2")) {
            GetResponse r = raw.basicGet(dlq, true);
            assertNotNull(r);
            assertEquals(id, r.getProps().getHeaders().get("rr_id").toString());
        }
        c.close();
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertTrue(log, log.contains("ERROR org.osgijobs.driver.amqp.internal.Consumption - pipeline 'p': delivery 1"
                + " of queue '" + q + "'"));
    }

    private long count(String q) {
        try {
            return RabbitMqClient.count(amqp.raw, q);
        } catch (IOException e) {
            return -2;
        }
    }
}
