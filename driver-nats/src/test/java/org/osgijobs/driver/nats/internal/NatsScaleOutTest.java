package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * Runtimes consuming one pipeline share its durable consumer: each job runs once, a clean restart does not see
 * again what was acknowledged, and a runtime that dies mid-flow loses nothing (the other one takes its jobs after
 * {@code ack_wait}). Each "runtime" is a driver with its own connection and its own queue and workers.
 */
public class NatsScaleOutTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    private static Ledger push(NatsDriver d, String prefix, int count, Ledger ledger) throws Exception {
        List<CompletableFuture<?>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            pushes.add(ledger.track(id, d.push(Message.builder("share").id(id).pipeline("p").build()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        return ledger;
    }

    @Test
    public void twoRuntimesShareAThousandJobsWithoutDuplicates() throws Exception {
        Map<String, Object> o = nats.options("p", "prefetch", "20");
        SharedTestQueue qa = new SharedTestQueue("p");
        SharedTestQueue qb = new SharedTestQueue("p");
        NatsDriver a = nats.driver(qa, o);
        NatsDriver b = nats.driver(qb, o);
        Ledger ledger = new Ledger("scale-out");
        try (Workers wa = new Workers(qa, 2, ledger); Workers wb = new Workers(qb, 2, ledger)) {
            a.run(Pipeline.of(o));
            b.run(Pipeline.of(o));
            push(a, "s", 1000, ledger);
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
            Poll.until("all settled", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> ledger.settledCount() >= 1000, ledger::summary);
            System.out.printf("scale-out: %s; runtime A ran %d, runtime B ran %d%n", ledger.summary(), wa.runs(),
                    wb.runs());
            ledger.assertNoneLost();
            ledger.assertDuplicatesAtMost(0, "no fault: every job runs once");
            assertEquals(1000, wa.runs() + wb.runs());
            assertTrue("both runtimes took jobs: A " + wa.runs() + ", B " + wb.runs(), wa.runs() > 0 && wb.runs() > 0);
        }
    }

    @Test
    public void aCleanRestartDoesNotSeeAgainWhatWasAcknowledged() throws Exception {
        Map<String, Object> o = nats.options("p");
        SharedTestQueue first = new SharedTestQueue("p");
        NatsDriver a = nats.driver(first, o);
        Ledger ledger = new Ledger("clean restart");
        try (Workers w = new Workers(first, 2, ledger)) {
            a.run(Pipeline.of(o));
            push(a, "r", 100, ledger);
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
            Poll.until("all settled", Duration.ofSeconds(30), Duration.ofMillis(20),
                    () -> ledger.settledCount() == 100, ledger::summary);
        }
        a.pause("p");
        a.stop();
        SharedTestQueue second = new SharedTestQueue("p");
        NatsDriver b = nats.driver(second, o);
        b.run(Pipeline.of(o));
        b.push(Message.builder("after").id("after").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Job job = second.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("the first job after the restart is the new one", "after", job.id());
        job.settle(Settlement.ack());
        assertNull("nothing acknowledged comes again", second.poll(500, TimeUnit.MILLISECONDS));
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(0, "no fault");
    }

    @Test
    public void aRuntimeThatDiesMidFlowLosesNothing() throws Exception {
        Map<String, Object> o = nats.options("p", "prefetch", "20", "ack_wait", "2");
        Ledger ledger = new Ledger("a runtime dies");
        try (TcpProxy proxy = new TcpProxy(NatsFixture.PORT)) {
            SharedTestQueue qa = new SharedTestQueue("p");
            SharedTestQueue qb = new SharedTestQueue("p");
            NatsDriver a = nats.driver(qa, ConnectionSettings.of(Map.of("addr", "nats://127.0.0.1:" + proxy.port())),
                    o);
            NatsDriver b = nats.driver(qb, o);
            CountDownLatch aHasWork = new CountDownLatch(10);
            // A's workers take jobs and hang, like a process that is about to be killed
            try (Workers wa = new Workers(qa, 1, job -> aHasWork.countDown())) {
                a.run(Pipeline.of(o));
                push(b, "k", 300, ledger);
                assertTrue("A got jobs", aHasWork.await(30, TimeUnit.SECONDS));
                for (String id : wa.seen().keySet()) {
                    ledger.ran(id); // ran (in part) on A, never acknowledged
                }
                proxy.down(); // A's connection dies with its deliveries unacknowledged, as under SIGKILL
                int onA = wa.runs();
                try (Workers wb = new Workers(qb, 2, ledger)) {
                    b.run(Pipeline.of(o));
                    ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                    Poll.until("every job settled by B", Duration.ofSeconds(60), Duration.ofMillis(50),
                            () -> ledger.settledCount() >= 300 - 0, ledger::summary);
                    System.out.printf("runtime died with %d jobs delivered: %s%n", onA, ledger.summary());
                    ledger.assertNoneLost();
                    ledger.assertDuplicatesAtMost(20, "only what the dead runtime held runs twice: at most its"
                            + " prefetch (max ack pending) of 20");
                }
            }
        }
    }
}
