package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/** Several drivers on one queue share the work; fanout pipelines each get every job. */
public class AmqpScaleOutTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private static void pushAll(AmqpDriver d, String pipeline, int count, String prefix) throws Exception {
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pushes.add(d.push(Message.builder("work").id(prefix + i).pipeline(pipeline).build())
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }

    @Test
    public void twoConsumersOnOneQueueProcessEachJobExactlyOnce() throws Exception {
        String q = amqp.queue("shared");
        SharedTestQueue first = new SharedTestQueue("p");
        SharedTestQueue second = new SharedTestQueue("p");
        AmqpDriver a = amqp.driver(first, AmqpFixture.options("p", "queue", q, "routing_key", q, "durable", "true"));
        AmqpDriver b = amqp.driver(second, AmqpFixture.options("p", "queue", q, "routing_key", q, "durable",
                "true"));
        Ledger ledger = new Ledger("scale-out");
        try (Workers wa = new Workers(first, 2, ledger); Workers wb = new Workers(second, 2, ledger)) {
            a.run(Pipeline.of(AmqpFixture.options("p")));
            b.run(Pipeline.of(AmqpFixture.options("p")));
            pushAll(a, "p", 1000, "s");
            for (int i = 0; i < 1000; i++) {
                ledger.accepted("s" + i); // pushAll waited for every confirm
            }
            assertTrue(Poll.eventually(() -> wa.distinct() + wb.distinct() == 1000, 60));
            assertTrue(Poll.eventually(() -> a.state().reserved() + b.state().reserved() == 0, 30));
            System.out.printf("scale-out: first runtime %d jobs, second %d jobs%n", wa.runs(), wb.runs());
            assertEquals("each job once in total", 1000, wa.runs() + wb.runs());
            ledger.assertNoneLost();
            ledger.assertOnlyAcceptedRan();
            // no job is in both runtimes: each delivery goes to one consumer, and nothing fails or is cut here
            ledger.assertDuplicatesAtMost(0, "no connection is cut and every job is acked at once");
            assertTrue("both took a share", wa.runs() > 0 && wb.runs() > 0);
        }
    }

    @Test
    public void fanoutPipelinesEachProcessEveryPushOnce() throws Exception {
        String ex = amqp.exchange("fan");
        String qa = amqp.queue("fan-a");
        String qb = amqp.queue("fan-b");
        SharedTestQueue queue = new SharedTestQueue("fa");
        AmqpDriver a = amqp.driver(queue, AmqpFixture.options("fa", "exchange", ex, "exchange_type", "fanout",
                "queue", qa));
        // one runtime queue, as the runtime has: each pipeline's driver gets its own view of it
        AmqpDriver b = amqp.driver(queue.view("fb"), AmqpFixture.options("fb", "exchange", ex, "exchange_type",
                "fanout", "queue", qb));
        try (Workers workers = new Workers(queue, 2)) {
            a.run(Pipeline.of(AmqpFixture.options("fa")));
            b.run(Pipeline.of(AmqpFixture.options("fb")));
            pushAll(a, "fa", 50, "a");
            pushAll(b, "fb", 50, "b");
            assertTrue(Poll.eventually(() -> workers.runs() == 200, 60));
            long byA = workers.jobs().stream().filter(j -> j.groupId().equals("fa")).count();
            long byB = workers.jobs().stream().filter(j -> j.groupId().equals("fb")).count();
            assertEquals(100, byA);
            assertEquals(100, byB);
            assertEquals("each job id twice: once per pipeline", 100, workers.distinct());
        }
    }
}
