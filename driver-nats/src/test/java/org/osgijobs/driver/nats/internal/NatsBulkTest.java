package org.osgijobs.driver.nats.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/** Many jobs pushed without waiting (a bulk producer) while two workers consume: every one runs once. */
public class NatsBulkTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void tenThousandAsyncPushesAllRunOnce() throws Exception {
        Map<String, Object> o = nats.options("p", "prefetch", "100");
        SharedTestQueue queue = new SharedTestQueue("p");
        NatsDriver d = nats.driver(queue, o);
        Ledger ledger = new Ledger("bulk");
        Semaphore room = new Semaphore(2000);
        try (Workers workers = new Workers(queue, 2, ledger)) {
            d.run(Pipeline.of(o));
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                room.acquire();
                ledger.track("b" + i, d.push(Message.builder("bulk").id("b" + i).pipeline("p").build()))
                        .whenComplete((ok, e) -> room.release());
            }
            Poll.until("every push has an outcome", Duration.ofSeconds(60), Duration.ofMillis(20),
                    () -> room.availablePermits() == 2000, ledger::summary);
            ledger.assertNoRefusals("the server is up and the producer stays within the window");
            Poll.until("every job ran", Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> ledger.settledCount() >= 10_000, () -> ledger.summary() + " " + d.state() + " "
                            + nats.jsm.getConsumerInfo((String) o.get("stream"), PipelineOptions.consumerName("p")));
            System.out.printf("bulk: %s in %d ms%n", ledger.summary(), (System.nanoTime() - start) / 1_000_000);
            ledger.assertNoneLost();
            ledger.assertDuplicatesAtMost(0, "no fault");
        }
    }
}
