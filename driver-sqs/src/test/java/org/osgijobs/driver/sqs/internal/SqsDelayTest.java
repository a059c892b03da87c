package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;

/**
 * Delays: SQS's own DelaySeconds up to its maximum; past it, hops of at most {@code max_delay_step} seconds that keep
 * the job in SQS the whole time (tested with a short step, as the 900 s of SQS would make the test last 15 minutes);
 * FIFO queues, which take no per-message delay. The real 20-minute delay runs only with {@code -Dsqs.longDelay=true}.
 */
public class SqsDelayTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    private static long secondsSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    @Test
    public void aShortDelayIsSqsOwn() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.run(Pipeline.of(o));
        long start = System.nanoTime();
        d.push(Message.builder("d").id("d2").payload("x").delay(2).pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("waiting in SQS as delayed", 1, d.state().delayed());
        Job job = queue.poll(15, TimeUnit.SECONDS);
        assertNotNull(job);
        assertTrue("not before its delay", System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1900));
        assertEquals(2, job.context().delay());
        job.settle(Settlement.ack());
    }

    @Test
    public void aDelayLongerThanOneSendCanGiveHopsUntilItIsDue() throws Exception {
        // max_delay_step=1 stands for SQS's 900 s: a 4 s delay takes several hops, as 20 minutes would take two
        Map<String, Object> o = sqs.options("p", "max_delay_step", "1");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.run(Pipeline.of(o));
        long start = System.nanoTime();
        d.push(Message.builder("d").id("long").payload("x").delay(4).pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Job job = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(job);
        assertTrue("not before its delay: " + secondsSince(start) + " s",
                System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(3500));
        assertEquals("long", job.id());
        assertEquals("RoadRunner's rr_delay keeps the whole delay", 4, job.context().delay());
        job.settle(Settlement.ack());
        assertNull("one job, no copy left behind by the hops", queue.poll(1500, TimeUnit.MILLISECONDS));
        Poll.until("the queue is empty", Duration.ofSeconds(5), Duration.ofMillis(100),
                () -> d.state().active() + d.state().delayed() + d.state().reserved() == 0, () -> d.state().toString());
    }

    @Test
    public void aDelayOnAFifoQueueWaitsInvisibleInSqs() throws Exception {
        Map<String, Object> o = sqs.options("p");
        o.put("queue", sqs.queue("fd", true));
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.run(Pipeline.of(o));
        long start = System.nanoTime();
        d.push(Message.builder("d").id("fifo-delayed").payload("x").delay(3).pipeline("p").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Job job = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(job);
        assertTrue("not before its delay", System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(2500));
        job.settle(Settlement.ack());
    }

    /** Twenty minutes for real, with SQS's own 900 s step: {@code mvn -pl driver-sqs verify -Dtest=SqsDelayTest -Dsqs.longDelay=true}. */
    @Test
    public void aTwentyMinuteDelayIsHonoured() throws Exception {
        Assume.assumeTrue("the real 20-minute delay runs with -Dsqs.longDelay=true",
                Boolean.getBoolean("sqs.longDelay"));
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.run(Pipeline.of(o));
        long start = System.nanoTime();
        d.push(Message.builder("d").id("twenty").payload("x").delay(1200).pipeline("p").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertNull("not after 15 minutes", queue.poll(1150, TimeUnit.SECONDS));
        Job job = queue.poll(120, TimeUnit.SECONDS);
        assertNotNull(job);
        assertTrue(secondsSince(start) >= 1199);
        job.settle(Settlement.ack());
    }
}
