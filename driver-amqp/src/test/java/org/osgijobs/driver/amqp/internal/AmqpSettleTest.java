package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

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

import com.rabbitmq.client.Channel;
import org.osgijobs.testing.SharedTestQueue;

/**
 * Who keeps a job after {@link Job#settle(Settlement)} when the requeue's copy cannot be published, and when a job
 * is settled twice. A consumption on a raw session with a {@link TestHost}, whose every republish fails.
 */
public class AmqpSettleTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private Channel raw;
    private SharedTestQueue queue;
    private TestHost host;
    private Consumption consumption;

    private void consume(String q, String... options) throws Exception {
        String[] kv = new String[options.length + 4];
        kv[0] = "queue";
        kv[1] = q;
        kv[2] = "routing_key";
        kv[3] = q;
        System.arraycopy(options, 0, kv, 4, options.length);
        PipelineOptions parsed = PipelineOptions.of(Pipeline.of(AmqpFixture.options("p", kv)));
        Topology topology = new Topology(parsed);
        raw = amqp.raw.createChannel();
        topology.declareExchange(raw);
        queue = new SharedTestQueue("p");
        host = new TestHost();
        consumption = Consumption.open(new Session(1, amqp.raw, raw, raw), parsed, queue, host);
        consumption.subscribe(topology);
    }

    private void publish(String q, String id) throws Exception {
        Message m = Message.builder("job").id(id).header("attempt", "1").build();
        raw.basicPublish("", q, WireFormat.properties(m, "p", 10, m.headers()), new byte[0]);
    }

    @Test
    public void aRequeueWhoseCopyCannotBePublishedReturnsTheOriginalToTheBroker() throws Exception {
        String q = amqp.queue("settle-fail");
        consume(q);
        publish(q, "fail-1");
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);

        assertEquals(Custody.BROKER, job.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 1)));

        assertEquals(1, host.republished.get());
        Job again = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull("the broker delivered the original again", again);
        assertEquals("fail-1", again.id());
        assertEquals("as it was: the requeue's headers are lost", Map.of("attempt", List.of("1")), again.headers());
        assertEquals(Custody.DONE, again.settle(Settlement.ack()));
        assertEquals(0, consumption.outstanding());
        consumption.close();
    }

    @Test
    public void aRequeueOfADeliveryAMultipleAckCoveredWhoseCopyFailsIsLeftToTheRuntime() throws Exception {
        String q = amqp.queue("settle-covered");
        consume(q, "multiple_ack", "true");
        publish(q, "covered-1");
        publish(q, "covered-2");
        Job covered = queue.poll(30, TimeUnit.SECONDS);
        Job later = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(covered);
        assertNotNull(later);
        assertEquals(Custody.DONE, later.settle(Settlement.ack())); // acknowledges the first delivery too

        assertEquals("nobody else holds it", Custody.RUNTIME,
                covered.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));

        assertEquals(1, host.republished.get());
        assertNull("the broker does not deliver it again", queue.poll(500, TimeUnit.MILLISECONDS));
        assertEquals(0, consumption.outstanding());
        consumption.close();
    }

    @Test
    public void onlyTheFirstSettlementCounts() throws Exception {
        String q = amqp.queue("settle-once");
        consume(q);
        publish(q, "once-1");
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);

        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertEquals(Custody.DONE, job.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));
        assertEquals(Custody.DONE, job.settle(Settlement.reject()));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));

        assertEquals("nothing was published", 0, host.republished.get());
        assertEquals(0, consumption.outstanding());
        assertNull("and nothing came back", queue.poll(500, TimeUnit.MILLISECONDS));
        consumption.close();
    }
}
