package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

/** FIFO queues: order within the message group, deduplication by job id, a requeued copy not taken for a duplicate. */
public class SqsFifoTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    private Map<String, Object> fifo(String... kv) {
        Map<String, Object> o = sqs.options("p", kv);
        o.put("queue", sqs.queue("f", true));
        o.put("message_group_id", "orders");
        return o;
    }

    @Test
    public void aGroupKeepsItsOrder() throws Exception {
        Map<String, Object> o = fifo();
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        for (int i = 0; i < 30; i++) { // one after the other: the order SQS stores them in is the push order
            d.push(Message.builder("f").id("f" + i).payload("x").pipeline("p").build()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(o));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Job job = queue.poll(10, TimeUnit.SECONDS);
            assertNotNull("job " + i, job);
            order.add(job.id());
            job.settle(Settlement.ack());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("f" + i);
        }
        assertEquals(expected, order);
    }

    @Test
    public void aJobIdIsStoredOnce() throws Exception {
        Map<String, Object> o = fifo();
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pushes.add(d.push(Message.builder("f").id("same").payload("copy " + i).pipeline("p").build())
                    .toCompletableFuture());
        }
        for (CompletableFuture<Void> p : pushes) {
            p.get(10, TimeUnit.SECONDS); // SQS answers OK for a deduplicated send
        }
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertEquals("same", job.id());
        job.settle(Settlement.ack());
        assertNull("deduplicated", queue.poll(2, TimeUnit.SECONDS));
    }

    @Test
    public void aRequeuedCopyGetsANewDeduplicationId() throws Exception {
        Map<String, Object> o = fifo();
        SharedTestQueue queue = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        d.push(Message.builder("f").id("again").payload("x").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        job.settle(Settlement.requeue(Map.of(), 0));
        Job copy = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull("not dropped as a duplicate of the original", copy);
        assertEquals("again", copy.id());
        copy.settle(Settlement.ack());
    }
}
