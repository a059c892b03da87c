package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

import com.rabbitmq.client.GetResponse;

/**
 * {@code wire=compact}: what it leaves out of the header table, and that a consumer reading compact messages gets
 * the same jobs as from the full format; the full format stays what RoadRunner writes.
 */
public class AmqpCompactWireTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    /** Jobs with and without headers, delay and auto-ack, so that both forms of every field are crossed. */
    private static List<Message> jobs(String pipeline) {
        return List.of(
                Message.builder("Plain").id("c1").pipeline(pipeline).payload("one").build(),
                Message.builder("Headed").id("c2").pipeline(pipeline).payload("two").header("k", "v1", "v2")
                        .priority(3).build(),
                Message.builder("Auto").id("c3").pipeline(pipeline).payload("three").autoAck(true).build());
    }

    private static Set<String> headerNames(GetResponse r) {
        return r.getProps().getHeaders().keySet();
    }

    @Test
    public void compactLeavesOutOnlyTheHeadersThatCarryTheirDefault() throws Exception {
        String q = amqp.queue("compact-raw");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q,
                "wire", "compact"));
        for (Message m : jobs("p")) {
            d.push(m).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        var channel = amqp.raw.createChannel();
        assertEquals(Set.of("rr_id", "rr_job", "rr_pipeline", "rr_priority"), headerNames(channel.basicGet(q, true)));
        assertEquals(Set.of("rr_id", "rr_job", "rr_pipeline", "rr_priority", "rr_headers"),
                headerNames(channel.basicGet(q, true)));
        assertEquals(Set.of("rr_id", "rr_job", "rr_pipeline", "rr_priority", "rr_auto_ack"),
                headerNames(channel.basicGet(q, true)));
    }

    @Test
    public void theFullFormatIsTheDefaultAndCarriesAllSeven() throws Exception {
        String q = amqp.queue("full-raw");
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), AmqpFixture.options("p", "queue", q, "routing_key", q));
        d.push(jobs("p").get(0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(Set.of("rr_id", "rr_job", "rr_pipeline", "rr_priority", "rr_headers", "rr_delay",
                "rr_auto_ack"), headerNames(amqp.raw.createChannel().basicGet(q, true)));
    }

    @Test
    public void aConsumerGetsTheSameJobsFromCompactAndFullMessages() throws Exception {
        List<Job> compact = pushAndTake("compact");
        List<Job> full = pushAndTake("full");
        assertEquals(full.size(), compact.size());
        for (int i = 0; i < full.size(); i++) {
            Job f = full.get(i);
            Job c = compact.get(i);
            assertEquals(f.id(), c.id());
            assertEquals(f.name(), c.name());
            assertEquals(f.headers(), c.headers());
            assertEquals(f.priority(), c.priority());
            assertEquals(f.autoAck(), c.autoAck());
            assertArrayEquals(f.body(), c.body());
        }
        assertEquals(Map.of("k", List.of("v1", "v2")), compact.get(1).headers());
        assertEquals(3, compact.get(1).priority());
        assertTrue(compact.get(2).autoAck());
    }

    /** Pushes the jobs through a pipeline with that wire form and returns them as a consuming pipeline reads them. */
    private List<Job> pushAndTake(String wire) throws Exception {
        String q = amqp.queue("compact-" + wire);
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "wire", wire));
        for (Message m : jobs("p")) {
            d.push(m).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(AmqpFixture.options("p")));
        List<Job> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Job job = queue.poll(30, TimeUnit.SECONDS);
            assertNotNull(job);
            taken.add(job);
        }
        taken.sort((a, b) -> a.id().compareTo(b.id()));
        for (Job job : taken) {
            job.settle(Settlement.ack());
        }
        d.stop();
        return taken;
    }
}
