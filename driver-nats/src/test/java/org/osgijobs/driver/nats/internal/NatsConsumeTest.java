package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.osgijobs.testing.Poll;

import io.nats.client.api.StreamInfo;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/** Push, consume and every settlement against the real server. */
public class NatsConsumeTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    private static Message job(String name, String id) {
        return Message.builder(name).id(id).pipeline("p").payload("body-" + id).build();
    }

    @Test
    public void aPushedJobIsConsumedWithItsFieldsAndAckedOnce() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.push(Message.builder("ping").id("j1").pipeline("p").payload(new byte[] { 0, 1, (byte) 0xff })
                .priority(3).header("trace", "a", "b").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("ping", job.name());
        assertEquals("j1", job.id());
        assertEquals(3, job.priority());
        assertArrayEquals(new byte[] { 0, 1, (byte) 0xff }, job.body());
        assertEquals(List.of("a", "b"), job.headers().get("trace"));
        assertEquals(List.of(o.get("subject")), job.headers().get("x-nats-subject"));
        job.taken();
        assertEquals(1, d.state().reserved());
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertEquals(0, d.state().reserved());
        Poll.until("the consumer has nothing pending", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> nats.jsm.getConsumerInfo((String) o.get("stream"), PipelineOptions.consumerName("p"))
                        .getNumAckPending() == 0, () -> d.state().toString());
        assertNull("acknowledged: not delivered again", queue.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    public void rejectTerminatesAndRequeueStoresACopyWithNewHeaders() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.push(job("r", "rejected")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.push(job("q", "requeued")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job first = queue.poll(10, TimeUnit.SECONDS);
        Job second = queue.poll(10, TimeUnit.SECONDS);
        assertEquals("rejected", first.id());
        assertEquals(Custody.DONE, first.settle(Settlement.reject()));
        assertEquals(Custody.DRIVER, second.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));
        Job again = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull("the requeued copy comes back", again);
        assertEquals("requeued", again.id());
        assertEquals(List.of("2"), again.headers().get("attempt"));
        assertEquals("body-requeued", new String(again.body(), StandardCharsets.UTF_8));
        assertEquals(Custody.DONE, again.settle(Settlement.ack()));
        assertNull("the rejected job is not delivered again", queue.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    public void pauseGivesBackWhatWasNotTakenAndResumeDeliversItAgain() throws Exception {
        Map<String, Object> o = nats.options("p", "prefetch", "5");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        for (int i = 0; i < 5; i++) {
            d.push(job("x", "x" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(o));
        assertTrue(Poll.eventually(() -> queue.size() == 5, 10));
        d.pause("p");
        assertEquals(0, queue.size());
        assertTrue(!d.state().ready());
        d.resume("p");
        try (Workers workers = new Workers(queue, 1)) {
            Poll.until("all five delivered again", Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> workers.distinct() == 5, () -> workers.seen() + " " + nats.jsm.getConsumerInfo(
                            (String) o.get("stream"), PipelineOptions.consumerName("p")));
        }
    }

    @Test
    public void autoAckJobsAreAcknowledgedOnArrival() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.push(Message.builder("a").id("auto").pipeline("p").autoAck(true).build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertTrue(job.autoAck());
        Poll.until("acknowledged on arrival", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> nats.jsm.getConsumerInfo((String) o.get("stream"), PipelineOptions.consumerName("p"))
                        .getNumAckPending() == 0, () -> "");
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
    }

    @Test
    public void deleteAfterAckRemovesTheMessageAndDeleteStreamOnStopTheStream() throws Exception {
        Map<String, Object> o = nats.options("p", "delete_after_ack", "true", "delete_stream_on_stop", "true");
        String stream = (String) o.get("stream");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.push(job("x", "kept")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.push(job("x", "deleted")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, nats.jsm.getStreamInfo(stream).getStreamState().getMsgCount());
        d.run(Pipeline.of(o));
        Job kept = queue.poll(10, TimeUnit.SECONDS);
        Job deleted = queue.poll(10, TimeUnit.SECONDS);
        assertEquals("deleted", deleted.id());
        deleted.settle(Settlement.ack());
        StreamInfo info = nats.jsm.getStreamInfo(stream);
        assertEquals("the acknowledged message is gone from the stream", 1, info.getStreamState().getMsgCount());
        kept.settle(Settlement.ack());
        d.stop();
        try {
            nats.jsm.getStreamInfo(stream);
            throw new AssertionError("stream still there after stop with delete_stream_on_stop");
        } catch (io.nats.client.JetStreamApiException e) {
            assertEquals(Topology.STREAM_NOT_FOUND, e.getApiErrorCode());
        }
    }

    @Test
    public void stateCountsWaitingDelayedAndReservedJobs() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        for (int i = 0; i < 3; i++) {
            d.push(job("x", "w" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        d.push(job("x", "later").toBuilder().delay(60).build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(3, d.state().active());
        d.run(Pipeline.of(o));
        Poll.until("the delayed job is counted", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> d.state().delayed() == 1, () -> d.state().toString());
        Job job = queue.poll(10, TimeUnit.SECONDS);
        job.taken();
        assertEquals(1, d.state().reserved());
        assertEquals(2, d.state().active());
        assertTrue(d.state().ready());
        assertEquals("", d.state().errorMessage());
        assertEquals(o.get("stream"), d.state().queue());
    }
}
