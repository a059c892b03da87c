package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Rebalances hand over cleanly: a second runtime joining the group takes partitions from the first, then the first
 * stops the way the runtime stops a driver (pause, its running jobs finish, stop); its settled offsets are
 * committed and what it had not run goes to the other one: nothing lost, nothing run twice.
 */
public class KafkaRebalanceTest {

    @Rule
    public final KafkaFixture kafka = new KafkaFixture();

    @Test
    public void aJoiningAndALeavingRuntimeHandPartitionsOverWithoutLossOrDuplicates() throws Exception {
        String topic = kafka.topic("rebalance", 4);
        Map<String, Object> o = kafka.options("p", topic, "prefetch", "10");
        Ledger ledger = new Ledger("clean hand-over");
        SharedTestQueue qa = new SharedTestQueue("p");
        SharedTestQueue qb = new SharedTestQueue("p");
        KafkaDriver a = kafka.driver(qa, o);
        KafkaDriver b = kafka.driver(qb, o);
        List<CompletableFuture<?>> pushes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String id = "h" + i;
            pushes.add(ledger.track(id, a.push(Message.builder("slow").id(id).pipeline("p").build()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        try (Workers wa = new Workers(qa, 2, job -> {
            ledger.ran(job.id());
            sleep(20);
            job.settle(org.osgijobs.api.driver.Settlement.ack());
            ledger.settled(job.id());
        }); Workers wb = new Workers(qb, 2, job -> {
            ledger.ran(job.id());
            sleep(20);
            job.settle(org.osgijobs.api.driver.Settlement.ack());
            ledger.settled(job.id());
        })) {
            a.run(Pipeline.of(o));
            Poll.until("A runs jobs alone", Duration.ofSeconds(20), Duration.ofMillis(20), () -> wa.runs() > 50,
                    ledger::summary);
            b.run(Pipeline.of(o)); // B joins: A hands some partitions over
            Poll.until("B runs jobs too", Duration.ofSeconds(20), Duration.ofMillis(20), () -> wb.runs() > 50,
                    ledger::summary);
            a.pause("p"); // A leaves as the runtime stops a driver: no new jobs, running ones finish, then stop
            Poll.until("A's running jobs finished", Duration.ofSeconds(10), Duration.ofMillis(10),
                    () -> a.state().reserved() == 0 && ledger.settledCount() == ledger.ranCount(), ledger::summary);
            a.stop();
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
            System.out.printf("clean hand-over: %s; A ran %d, B ran %d%n", ledger.summary(), wa.runs(), wb.runs());
            ledger.assertNoneLost();
            ledger.assertDuplicatesAtMost(0, "no fault: every hand-over committed what was settled and gave back"
                    + " what no worker had taken");
            assertTrue(wa.runs() > 0 && wb.runs() > 0);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
