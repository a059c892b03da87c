package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.Workers;

/**
 * Runtimes consuming one tube share its jobs, each once; a runtime whose connections are cut mid-flow (as when its
 * process is killed) loses nothing: beanstalkd gives its reserved jobs to the other one. Each "runtime" is a driver
 * with its own connections, queue and workers.
 */
public class BeanstalkScaleOutTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private static void push(BeanstalkDriver d, String prefix, int count, Ledger ledger) throws Exception {
        List<CompletableFuture<?>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            pushes.add(ledger.track(id, d.push(Message.builder("share").id(id).pipeline("p").build()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }

    @Test
    public void twoRuntimesShareAThousandJobsWithoutDuplicates() throws Exception {
        Map<String, Object> o = fx.options("p", "prefetch", "20");
        SharedTestQueue qa = new SharedTestQueue("p");
        SharedTestQueue qb = new SharedTestQueue("p");
        Map<String, Object> twoConsumers = new java.util.LinkedHashMap<>(o);
        twoConsumers.put("reserve_connections", "2"); // runtime A reserves on two connections
        BeanstalkDriver a = fx.driver(qa, twoConsumers);
        BeanstalkDriver b = fx.driver(qb, o);
        Ledger ledger = new Ledger("scale-out");
        try (Workers wa = new Workers(qa, 2, ledger); Workers wb = new Workers(qb, 2, ledger)) {
            a.run(Pipeline.of(twoConsumers));
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

    /**
     * A runtime that stops answering without closing its connections (SIGSTOP, a long pause): its jobs' TTR runs out
     * and beanstalkd gives them to the other runtime. beanstalkd 1.12 times out only the first job of a silent
     * connection (the others stay reserved until the connection shows life or closes; see the README), so the test
     * then lets the frozen runtime die, as a stopped process eventually does, and counts every job.
     */
    @Test
    public void aFrozenRuntimesJobsComeBackAfterTheirTtrAndWhenItDies() throws Exception {
        Map<String, Object> o = fx.options("p", "prefetch", "10");
        Ledger ledger = new Ledger("a runtime freezes, then dies");
        try (FreezingProxy proxy = new FreezingProxy(BeanstalkFixture.PORT)) {
            SharedTestQueue qa = new SharedTestQueue("p");
            SharedTestQueue qb = new SharedTestQueue("p");
            BeanstalkDriver a = fx.driver(qa, ConnectionSettings.of("127.0.0.1", proxy.port(), 2), o);
            BeanstalkDriver b = fx.driver(qb, ConnectionSettings.of("127.0.0.1", BeanstalkFixture.PORT, 2), o);
            CountDownLatch aHasWork = new CountDownLatch(10);
            // A's worker takes jobs and hangs on them; then A's whole process stops answering
            try (Workers wa = new Workers(qa, 1, job -> aHasWork.countDown())) {
                a.run(Pipeline.of(o));
                push(b, "f", 200, ledger);
                assertTrue("A got jobs", aHasWork.await(30, TimeUnit.SECONDS));
                proxy.freeze(); // no touch reaches beanstalkd, the connections stay open
                Set<String> onA = Set.copyOf(wa.seen().keySet());
                for (String id : onA) {
                    ledger.ran(id); // ran (in part) on A, never deleted
                }
                try (Workers wb = new Workers(qb, 2, ledger)) {
                    b.run(Pipeline.of(o));
                    // beanstalkd 1.12 times out a silent connection's first job only when that connection is
                    // not waiting in a reserve (see the README): whether one comes back before the runtime dies
                    // depends on when A froze, so it is reported, and what must hold is asserted below
                    boolean releasedByTtr = Poll.eventually(() -> onA.stream().anyMatch(id -> wb.count(id) > 0),
                            Duration.ofSeconds(20));
                    System.out.printf("a job of the frozen runtime ran on the other after its TTR: %s%n",
                            releasedByTtr);
                    proxy.close(); // the frozen runtime dies: its connections close
                    ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
                    Poll.until("every job settled by B", Duration.ofSeconds(30), Duration.ofMillis(50),
                            () -> wb.runs() >= 200, () -> ledger.summary() + "; B ran " + wb.runs() + "; tube "
                                    + fx.stats((String) o.get("tube")));
                    System.out.printf("runtime frozen with %d jobs taken: %s%n", wa.runs(), ledger.summary());
                    ledger.assertNoneLost();
                    ledger.assertDuplicatesAtMost(10, "only what the frozen runtime held runs twice: at most its"
                            + " prefetch of 10");
                }
            }
        }
    }

    @Test
    public void aRuntimeKilledMidFlowLosesNothing() throws Exception {
        Map<String, Object> o = fx.options("p", "prefetch", "20");
        Ledger ledger = new Ledger("a runtime dies");
        try (TcpProxy proxy = new TcpProxy(BeanstalkFixture.PORT)) {
            SharedTestQueue qa = new SharedTestQueue("p");
            SharedTestQueue qb = new SharedTestQueue("p");
            BeanstalkDriver a = fx.driver(qa, ConnectionSettings.of("127.0.0.1", proxy.port(), 30), o);
            BeanstalkDriver b = fx.driver(qb, o);
            CountDownLatch aHasWork = new CountDownLatch(10);
            // A's worker takes jobs and hangs, like a process about to be killed
            try (Workers wa = new Workers(qa, 1, job -> aHasWork.countDown()); Workers wb = new Workers(qb, 2, ledger)) {
                a.run(Pipeline.of(o));
                push(b, "k", 1000, ledger);
                assertTrue("A got jobs", aHasWork.await(30, TimeUnit.SECONDS));
                b.run(Pipeline.of(o));
                Poll.until("both runtimes work", Duration.ofSeconds(30), Duration.ofMillis(10),
                        () -> wb.runs() > 100, () -> "B ran " + wb.runs());
                proxy.down(); // A's connections die with its reserved jobs undeleted, as under SIGKILL
                int onA = wa.runs();
                for (String id : wa.seen().keySet()) {
                    ledger.ran(id); // ran (in part) on A, never deleted
                }
                ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                Poll.until("every job settled by B", Duration.ofSeconds(60), Duration.ofMillis(50),
                        () -> wb.runs() >= 1000 - 0 && ledger.settledCount() >= 1000 - 0 - 0, ledger::summary);
                System.out.printf("runtime killed with %d jobs taken: %s%n", onA, ledger.summary());
                ledger.assertNoneLost();
                ledger.assertDuplicatesAtMost(20, "only what the killed runtime held reserved runs twice: at most"
                        + " its prefetch of 20");
            }
        }
    }
}
