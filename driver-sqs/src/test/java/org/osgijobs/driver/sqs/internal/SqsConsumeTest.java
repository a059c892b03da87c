package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Push, consume and settle against ElasticMQ; the queue's declaration; pause and resume; state. */
public class SqsConsumeTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    static List<CompletableFuture<Void>> push(SqsDriver d, String prefix, int count, Ledger ledger) {
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            pushes.add(ledger.track(id, d.push(Message.builder("work").id(id).payload("p" + i).pipeline("p")
                    .build())).toCompletableFuture());
        }
        return pushes;
    }

    static void all(List<CompletableFuture<Void>> pushes) throws Exception {
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }

    @Test
    public void pushedJobsRunOnceAndAreDeleted() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        Ledger ledger = new Ledger("consume");
        all(push(d, "j", 200, ledger)); // many in flight: SendMessageBatch
        try (Workers w = new Workers(queue, 2, ledger)) {
            d.run(Pipeline.of(o));
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
            Poll.until("all deleted", Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                State s = d.state();
                return s.active() == 0 && s.reserved() == 0;
            }, () -> d.state().toString());
        }
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "no fault");
        assertTrue("ready while consuming", d.state().ready());
        assertEquals("", d.state().errorMessage());
    }

    @Test
    public void theJobKeepsWhatWasPushed() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.push(Message.builder("mail").id("m-1").payload("hello ü").header("trace", "a", "b").priority(3)
                .autoAck(true).pipeline("p").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("m-1", job.id());
        assertEquals("mail", job.name());
        assertEquals("hello ü", new String(job.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("a", "b"), job.headers().get("trace"));
        assertEquals(3, job.priority());
        assertTrue(job.autoAck());
        assertEquals("p", job.groupId());
        assertEquals("1", job.headers().get("ApproximateReceiveCount").get(0));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertEquals("only the first settlement counts", Custody.DONE, job.settle(Settlement.reject()));
    }

    @Test
    public void aRequeueStoresACopyWithNewHeadersAndDeletesTheOriginal() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.push(Message.builder("r").id("r-1").payload("x").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job first = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(first);
        long before = System.nanoTime();
        assertEquals(Custody.DRIVER, first.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 2)));
        Job again = queue.poll(15, TimeUnit.SECONDS);
        assertNotNull(again);
        assertTrue("the requeue's delay was kept",
                System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(1500));
        assertEquals("r-1", again.id());
        assertEquals(List.of("2"), again.headers().get("attempt"));
        assertEquals("a new message, received once", "1", again.headers().get("ApproximateReceiveCount").get(0));
        again.settle(Settlement.ack());
        assertNull("the original was deleted", queue.poll(2, TimeUnit.SECONDS));
    }

    @Test
    public void aRejectDeletesUnlessFailedJobsAreRetained() throws Exception {
        Map<String, Object> o = sqs.options("p", "visibility_timeout", "30");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.push(Message.builder("x").id("gone").payload("x").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertEquals(Custody.DONE, job.settle(Settlement.reject()));
        assertNull(queue.poll(2, TimeUnit.SECONDS));

        Map<String, Object> r = sqs.options("p", "retain_failed_jobs", "true", "error_visibility_timeout", "1",
                "visibility_timeout", "30");
        SharedTestQueue rq = new SharedTestQueue("p");
        SqsDriver retaining = sqs.driver(rq, r);
        retaining.push(Message.builder("x").id("kept").payload("x").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        retaining.run(Pipeline.of(r));
        Job kept = rq.poll(10, TimeUnit.SECONDS);
        assertEquals(Custody.BROKER, kept.settle(Settlement.reject()));
        Job back = rq.poll(10, TimeUnit.SECONDS);
        assertNotNull("visible again after error_visibility_timeout, not the 30 s visibility", back);
        assertEquals("kept", back.id());
        assertEquals("2", back.headers().get("ApproximateReceiveCount").get(0));
        back.settle(Settlement.ack());
    }

    @Test
    public void pauseGivesWaitingJobsBackAndResumeTakesThemAgain() throws Exception {
        Map<String, Object> o = sqs.options("p", "visibility_timeout", "60");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        Ledger ledger = new Ledger("pause");
        all(push(d, "w", 20, ledger));
        d.run(Pipeline.of(o));
        Poll.until("jobs waiting in the queue", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> queue.size() > 0, () -> "queue " + queue.size());
        d.pause("p");
        assertEquals("withdrawn", 0, queue.size());
        assertEquals("paused: nothing comes", null, queue.poll(1500, TimeUnit.MILLISECONDS));
        assertTrue(!d.state().ready());
        d.push(Message.builder("work").id("while-paused").payload("x").pipeline("p").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        ledger.accepted("while-paused");
        ledger.pushed("while-paused");
        try (Workers w = new Workers(queue, 2, ledger)) {
            d.resume("p");
            // the withdrawn messages were made visible again at once, not after the 60 s visibility
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(20));
        }
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "a withdrawn job never ran");
    }

    @Test
    public void theQueueIsCreatedWithItsAttributesAndTags() throws Exception {
        Map<String, Object> o = sqs.options("p", "attributes.VisibilityTimeout", "17",
                "attributes.ReceiveMessageWaitTimeSeconds", "5", "tags.team", "billing");
        SqsDriver d = sqs.driver(new SharedTestQueue("p"), o);
        String url = sqs.url((String) o.get("queue"));
        Map<String, String> a = sqs.raw.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.ALL)).attributesAsStrings();
        assertEquals("17", a.get("VisibilityTimeout"));
        assertEquals("5", a.get("ReceiveMessageWaitTimeSeconds"));
        assertEquals(Map.of("team", "billing"), sqs.raw.listQueueTags(b -> b.queueUrl(url)).tags());
        assertEquals("", d.state().errorMessage());
    }

    @Test
    public void aMissingQueueWithSkipQueueDeclarationIsRefusedByName() {
        Map<String, Object> o = sqs.options("p", "skip_queue_declaration", "true");
        try {
            sqs.driver(new SharedTestQueue("p"), o);
            fail("the queue does not exist");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.REJECTED, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains((String) o.get("queue")));
            assertTrue(e.getMessage(), e.getMessage().contains("skip_queue_declaration"));
        }
    }

    @Test
    public void stateCountsWaitingDelayedAndReservedMessages() throws Exception {
        Map<String, Object> o = sqs.options("p", "visibility_timeout", "60", "prefetch", "1",
                "max_messages_in_flight", "1");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        for (int i = 0; i < 3; i++) {
            d.push(Message.builder("s").id("s" + i).payload("x").pipeline("p").build()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        d.push(Message.builder("s").id("later").payload("x").delay(60).pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        State s = d.state();
        assertEquals(s.toString(), 3, s.active());
        assertEquals(s.toString(), 1, s.delayed());
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        Poll.until("one reserved", Duration.ofSeconds(5), Duration.ofMillis(50), () -> d.state().reserved() == 1,
                () -> d.state().toString());
        assertEquals("max_messages_in_flight=1 holds one at a time", 2, d.state().active());
        job.settle(Settlement.ack());
    }

    @Test
    public void anEmptyPayloadIsRefusedByName() throws Exception {
        SqsDriver d = sqs.driver(new SharedTestQueue("p"), sqs.options("p"));
        try {
            d.push(Message.builder("e").id("empty").pipeline("p").build()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            fail("SQS cannot store an empty body");
        } catch (ExecutionException e) {
            JobsException j = (JobsException) e.getCause();
            assertEquals(JobsException.Kind.BAD_INPUT, j.kind());
            assertTrue(j.getMessage(), j.getMessage().contains("empty"));
        }
    }

    @Test
    public void anEntrySqsRefusesFailsOnlyItsOwnPush() throws Exception {
        Map<String, Object> o = sqs.options("p");
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        Ledger ledger = new Ledger("one bad entry");
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int round = 0; round < 3; round++) { // in flight together: SendMessageBatch with the bad one inside
            for (int i = 0; i < 10; i++) {
                String id = "b" + round + "-" + i;
                // U+0000 is not a character an SQS message body may contain
                String payload = i == 4 ? "bad \u0000 body" : "good " + i;
                pushes.add(ledger.track(id, d.push(Message.builder("work").id(id).payload(payload).pipeline("p")
                        .build())).toCompletableFuture());
            }
        }
        for (CompletableFuture<Void> p : pushes) {
            try {
                p.get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertEquals(JobsException.Kind.REJECTED, ((JobsException) e.getCause()).kind());
            }
        }
        assertEquals(ledger.summary(), 3, ledger.refusedCount());
        for (Ledger.Refusal r : ledger.refusals()) {
            assertTrue(r.id(), r.id().endsWith("-4"));
        }
        try (Workers w = new Workers(queue, 2, ledger)) {
            d.run(Pipeline.of(o));
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(20));
        }
        ledger.assertNoneLost();
        ledger.assertOnlyAcceptedRan();
    }
}
