package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

/**
 * {@code ack_wait} is honoured: a job that runs (or waits) longer than it is kept alive with in-progress signals and
 * is not delivered again meanwhile, not to this runtime and not to another one on the same pipeline.
 */
public class NatsAckWaitTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void aJobRunningThreeTimesAckWaitIsNotDeliveredAgain() throws Exception {
        Map<String, Object> o = nats.options("p", "ack_wait", "2");
        SharedTestQueue mine = new SharedTestQueue("p");
        SharedTestQueue other = new SharedTestQueue("p");
        NatsDriver d = nats.driver(mine, o);
        NatsDriver watcher = nats.driver(other, o);
        d.run(Pipeline.of(o));
        d.push(Message.builder("long").id("long").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Job job = mine.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        job.taken();
        watcher.run(Pipeline.of(o));
        // the job "runs" for three times ack_wait; another runtime watching the pipeline gets nothing meanwhile
        assertNull("delivered again while running", other.poll(6, TimeUnit.SECONDS));
        assertNull(mine.poll(10, TimeUnit.MILLISECONDS));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertNull("acknowledged: never again", other.poll(3, TimeUnit.SECONDS));
    }

    @Test
    public void withoutInProgressSignalsTheServerWouldDeliverAgain() throws Exception {
        // the control: the same server delivers an unacknowledged message again after ack_wait when nobody signals
        Map<String, Object> o = nats.options("p", "ack_wait", "2");
        SharedTestQueue other = new SharedTestQueue("p");
        NatsDriver watcher = nats.driver(other, o);
        nats.js.publish((String) o.get("subject"), "{\"job\":\"j\",\"id\":\"raw\"}".getBytes());
        io.nats.client.JetStreamSubscription sub = nats.js.subscribe((String) o.get("subject"),
                io.nats.client.PullSubscribeOptions.bind((String) o.get("stream"), PipelineOptions.consumerName("p")));
        java.util.List<io.nats.client.Message> got = sub.fetch(1, java.time.Duration.ofSeconds(5));
        assertEquals(1, got.size());
        sub.unsubscribe();
        watcher.run(Pipeline.of(o));
        Job again = other.poll(10, TimeUnit.SECONDS);
        assertNotNull("delivered again after ack_wait", again);
        assertEquals("raw", again.id());
        again.settle(Settlement.ack());
    }
}
