package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
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

import io.nats.client.api.StreamConfiguration;
import org.osgijobs.testing.SharedTestQueue;

/** Delays kept by the server: a delayed job runs after its delay and not before, across a driver restart. */
public class NatsDelayTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void aJobDelayedFiveSecondsRunsAfterFiveSecondsAcrossARestart() throws Exception {
        Map<String, Object> o = nats.options("p");
        NatsDriver first = nats.driver(new SharedTestQueue("p"), o);
        first.run(Pipeline.of(o));
        long pushed = System.nanoTime();
        first.push(Message.builder("later").id("d5").pipeline("p").payload("x").delay(5).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, first.state().delayed());
        first.stop(); // the runtime goes away while the job waits

        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver second = nats.driver(queue, o);
        second.run(Pipeline.of(o));
        Job job = queue.poll(20, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushed);
        assertNotNull("the delayed job came after the restart", job);
        assertEquals("d5", job.id());
        assertEquals("x", new String(job.body(), StandardCharsets.UTF_8));
        assertTrue("ran after " + waited + " ms", waited >= 5000);
        assertTrue("ran after " + waited + " ms", waited < 9000);
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertNull("once", queue.poll(500, TimeUnit.MILLISECONDS));
        System.out.printf("delay 5 s across a restart: ran after %d ms%n", waited);
    }

    @Test
    public void aRequeueWithDelayAndHeadersComesBackAfterTheDelay() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.run(Pipeline.of(o));
        d.push(Message.builder("r").id("r1").pipeline("p").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Job job = queue.poll(10, TimeUnit.SECONDS);
        long requeued = System.nanoTime();
        assertEquals(Custody.DRIVER, job.settle(Settlement.requeue(Map.of("attempts", List.of("1")), 2)));
        Job again = queue.poll(10, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - requeued);
        assertNotNull(again);
        assertEquals("r1", again.id());
        assertEquals(List.of("1"), again.headers().get("attempts"));
        assertTrue("came back after " + waited + " ms", waited >= 2000);
        again.settle(Settlement.ack());
    }

    @Test
    public void onAStreamWithoutTheDelaySubjectDelayedJobsWaitOnThePipelinesSubject() throws Exception {
        Map<String, Object> o = nats.options("p");
        // a stream as RoadRunner creates it: name and the one subject
        nats.jsm.addStream(StreamConfiguration.builder().name((String) o.get("stream"))
                .subjects((String) o.get("subject")).build());
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        d.run(Pipeline.of(o));
        long pushed = System.nanoTime();
        d.push(Message.builder("later").id("inband").pipeline("p").delay(2).build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Job job = queue.poll(10, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushed);
        assertNotNull(job);
        assertTrue("ran after " + waited + " ms", waited >= 2000);
        job.settle(Settlement.ack());
    }
}
