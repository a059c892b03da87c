package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
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
import org.osgijobs.testing.RabbitMqClient;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/** Consuming: prefetch, acks, pause and resume, requeue, stop. */
public class AmqpConsumeTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static void pushAll(AmqpDriver d, String pipeline, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            d.push(Message.builder("job").id("j" + i).pipeline(pipeline).build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void run(AmqpDriver d, String pipeline) {
        d.run(Pipeline.of(AmqpFixture.options(pipeline)));
    }

    @Test
    public void deliveriesGoToTheQueueAndAcksRemoveThemFromTheBroker() throws Exception {
        String q = amqp.queue("consume");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q));
        pushAll(d, "p", 20);
        try (Workers workers = new Workers(queue, 2)) {
            run(d, "p");
            assertTrue(Poll.eventually(() -> workers.distinct() == 20, 30));
            assertTrue(d.state().ready());
            assertTrue(Poll.eventually(() -> d.state().reserved() == 0, 30));
        }
        assertEquals(0, d.state().active());
        d.pause("p");
        assertEquals("nothing came back to the queue after the acks", 0, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void prefetchBoundsTheDeliveriesHeldAndPauseGivesThemBack() throws Exception {
        String q = amqp.queue("prefetch");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "prefetch", "3"));
        pushAll(d, "p", 10);
        run(d, "p");
        assertTrue(Poll.eventually(() -> queue.size() == 3 && d.state().active() == 7, 30));
        assertEquals(3, d.state().reserved());
        d.pause("p");
        assertEquals("withdrawn from the runtime's queue", 0, queue.size());
        assertTrue(Poll.eventually(() -> d.state().active() == 10, 30));
        assertFalse(d.state().ready());
        assertEquals(0, d.state().reserved());
        try (Workers workers = new Workers(queue, 2)) {
            d.resume("p");
            assertTrue(Poll.eventually(() -> workers.distinct() == 10, 30));
            assertEquals(10, workers.runs());
        }
    }

    @Test
    public void requeueRepublishesWithNewHeadersAfterTheDelayAndAcksTheOriginal() throws Exception {
        String q = amqp.queue("requeue");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q));
        d.push(Message.builder("again").id("r1").pipeline("p").header("old", "1").payload("body").build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        run(d, "p");
        Job first = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(first);
        long requeuedAt = System.nanoTime();
        assertEquals("stored again as asked", Custody.DRIVER, first.settle(Settlement.requeue(Map.of("new",
                List.of("2")), 1)));
        amqp.track("delayed-1000.." + q);
        Job second = queue.poll(30, TimeUnit.SECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - requeuedAt);
        assertNotNull(second);
        assertTrue("came back after its delay, not before: " + waitedMillis, waitedMillis >= 900);
        assertEquals("r1", second.id());
        assertEquals(Map.of("new", List.of("2")), second.headers());
        assertEquals("body", new String(second.body()));
        second.settle(Settlement.ack());
        d.pause("p");
        assertEquals("the original was acknowledged", 0, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void nackRequeuesOnlyWithRequeueOnFail() throws Exception {
        for (boolean requeueOnFail : new boolean[] {false, true}) {
            String q = amqp.queue("nack");
            SharedTestQueue queue = new SharedTestQueue("p" + requeueOnFail);
            AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p" + requeueOnFail, "queue", q, "routing_key", q,
                    "requeue_on_fail", String.valueOf(requeueOnFail)));
            pushAll(d, "p" + requeueOnFail, 1);
            run(d, "p" + requeueOnFail);
            Job job = queue.poll(30, TimeUnit.SECONDS);
            assertEquals("the broker keeps it only with requeue_on_fail", requeueOnFail ? Custody.BROKER
                    : Custody.DONE, job.settle(Settlement.reject()));
            d.pause("p" + requeueOnFail);
            // acks and nacks are asynchronous: the broker's count settles a moment after pause returns
            long expected = requeueOnFail ? 1 : 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long left = RabbitMqClient.count(amqp.raw, q) + queue.size();
            while (left != expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
                left = RabbitMqClient.count(amqp.raw, q) + queue.size();
            }
            Thread.sleep(200); // and stays there: nothing more comes back
            left = RabbitMqClient.count(amqp.raw, q) + queue.size();
            assertEquals("requeue_on_fail=" + requeueOnFail, expected, left);
        }
    }

    @Test
    public void nackWithRequeueAndDelayGoesThroughTheDelayPath() throws Exception {
        String q = amqp.queue("nackdelay");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q));
        d.push(Message.builder("later").id("n1").pipeline("p").header("h", "v").build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        run(d, "p");
        Job failed = queue.poll(30, TimeUnit.SECONDS);
        assertEquals("stored again as asked", Custody.DRIVER, failed.settle(Settlement.requeue(failed.headers(), 2)));
        String delayQueue = amqp.track("delayed-2000.." + q);
        assertEquals(1, RabbitMqClient.count(amqp.raw, delayQueue));
        assertEquals(1, d.state().delayed());
        Job back = queue.poll(30, TimeUnit.SECONDS);
        assertEquals("n1", back.id());
        assertEquals(Map.of("h", List.of("v")), back.headers());
        back.settle(Settlement.ack());
        assertTrue(Poll.eventually(() -> d.state().delayed() == 0, 30));
    }

    @Test
    public void multipleAckAcknowledgesEarlierDeliveriesAndTheirOwnAcksAreSkipped() throws Exception {
        String q = amqp.queue("multi");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "multiple_ack",
                "true"));
        pushAll(d, "p", 5);
        run(d, "p");
        List<Job> taken = new ArrayList<>();
        while (taken.size() < 5) {
            taken.add(queue.poll(30, TimeUnit.SECONDS));
        }
        taken.get(4).settle(Settlement.ack());
        for (int i = 0; i < 4; i++) {
            // covered: must not reach the broker, or it would close the channel
            taken.get(i).settle(Settlement.ack());
        }
        pushAll(d, "p", 1);
        Job later = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull("the channel still works", later);
        later.settle(Settlement.ack());
        d.pause("p");
        assertEquals(0, RabbitMqClient.count(amqp.raw, q));
        assertEquals("", d.state().errorMessage());
    }

    @Test
    public void anAutoAckJobSaysSoAndIsAcknowledgedWhenTaken() throws Exception {
        String q = amqp.queue("auto");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q));
        d.push(Message.builder("fast").pipeline("p").autoAck(true).build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        run(d, "p");
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertTrue(job.autoAck());
        job.settle(Settlement.ack());
        d.pause("p");
        assertEquals(0, RabbitMqClient.count(amqp.raw, q));
    }

    @Test
    public void stopPutsBackWhatNoWorkerTookAndALateRequeueLeavesTheOriginalThere() throws Exception {
        String q = amqp.queue("stop");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q, "timeout", "1"));
        pushAll(d, "p", 4);
        run(d, "p");
        assertTrue(Poll.eventually(() -> queue.size() == 4, 30));
        Job atWorker = queue.poll(1, TimeUnit.SECONDS);
        assertEquals(List.of(), d.stop());
        assertEquals("the rest was withdrawn from the runtime's queue", 0, queue.size());
        // the broker has the original (AmqpRequeueAfterStopTest)
        assertEquals(Custody.BROKER, atWorker.settle(Settlement.requeue(Map.of(), 0)));
        assertTrue("every job is with the broker again",
                Poll.eventually(() -> {
                    try {
                        return RabbitMqClient.count(amqp.raw, q) == 4;
                    } catch (java.io.IOException ex) {
                        return false;
                    }
                }, 30));
    }

    @Test
    public void stopWaitsForJobsAtWorkersSoTheirAcksCount() throws Exception {
        String q = amqp.queue("stopack");
        SharedTestQueue queue = new SharedTestQueue("p");
        AmqpDriver d = amqp.driver(queue, AmqpFixture.options("p", "queue", q, "routing_key", q));
        pushAll(d, "p", 1);
        run(d, "p");
        Job atWorker = queue.poll(30, TimeUnit.SECONDS);
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            atWorker.settle(Settlement.ack());
        });
        worker.start();
        d.stop();
        worker.join();
        assertEquals("acknowledged before the channel closed", 0, RabbitMqClient.count(amqp.raw, q));
    }
}
