package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
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
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

/**
 * Runtimes that die: a runtime killed (SIGKILL) while a handler is stuck in a job, after later jobs were
 * acknowledged, and two runtimes sharing a group of which one is killed mid-flow. Each killed runtime is a child JVM
 * ({@link DriverProcess}); the survivor is a driver in this JVM.
 */
public class KafkaCrashTest {

    @Rule
    public final KafkaFixture kafka = new KafkaFixture();

    private static void push(KafkaDriver d, String prefix, int count, Ledger ledger) throws Exception {
        List<CompletableFuture<?>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            pushes.add(ledger.track(id, d.push(Message.builder("crash").id(id).pipeline("p").build()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }

    @Test
    public void aJobUnfinishedWhenTheRuntimeIsKilledRunsAgainAndNothingIsCommittedPastIt() throws Exception {
        String topic = kafka.topic("crash", 1);
        String group = KafkaFixture.unique("g");
        Map<String, Object> o = kafka.options("p", topic, "group_options.group_id", group,
                "consumer_properties.session.timeout.ms", "2000", "consumer_properties.heartbeat.interval.ms", "500");
        Ledger ledger = new Ledger("SIGKILL mid-job");
        KafkaDriver producer = kafka.driver(new SharedTestQueue("p"), o);
        push(producer, "b", 20, ledger);
        try (ChildRuntime child = new ChildRuntime(kafka.brokers, topic, group, 20, "b5", 0, ledger::ran)) {
            Poll.until("the child ran the later jobs", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> child.acked().contains("b19") && child.lines().stream().anyMatch(l -> l.startsWith(
                            "BLOCKED")), () -> String.join("\n", child.lines()));
            Poll.until("the child committed up to the stuck job", Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> kafka.committed(group, topic, 0) == 5, () -> "committed " + kafka.committed(group, topic,
                            0));
            Thread.sleep(500); // more commit rounds of the child: none may pass the stuck job
            child.kill();
        }
        assertEquals("nothing committed past the unfinished job at offset 5", 5, kafka.committed(group, topic, 0));
        SharedTestQueue queue = new SharedTestQueue("p");
        KafkaDriver after = kafka.driver(queue, o);
        after.run(Pipeline.of(o));
        Job first = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull("the unfinished job comes again after the restart", first);
        assertEquals("b5", first.id());
        ledger.ran(first.id());
        first.settle(Settlement.ack());
        try (Workers w = new Workers(queue, 2, ledger)) {
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(30));
            Poll.until("b6..b19 run again", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> w.runs() >= 14, () -> ledger.summary());
        }
        System.out.printf("SIGKILL mid-job: %s%n", ledger.summary());
        ledger.assertNoneLost();
        ledger.assertDuplicatesAtMost(15, "what was not committed at the kill: the stuck job and the 14 after it"
                + " (prefetch 20)");
    }

    @Test
    public void twoRuntimesShareAThousandJobsOverSixPartitionsAndOneIsKilledMidFlow() throws Exception {
        int prefetch = 20;
        String topic = kafka.topic("share", 6);
        String group = KafkaFixture.unique("g");
        Map<String, Object> o = kafka.options("p", topic, "group_options.group_id", group,
                "prefetch", String.valueOf(prefetch), "consumer_properties.session.timeout.ms", "2000",
                "consumer_properties.heartbeat.interval.ms", "500");
        Ledger ledger = new Ledger("two runtimes, one killed");
        SharedTestQueue queue = new SharedTestQueue("p");
        KafkaDriver b = kafka.driver(queue, o);
        try (ChildRuntime a = new ChildRuntime(kafka.brokers, topic, group, prefetch, "-", 5, ledger::ran);
                Workers wb = new Workers(queue, 2, job -> {
                    ledger.ran(job.id());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    job.settle(Settlement.ack());
                    ledger.settled(job.id());
                })) {
            Poll.until("runtime A started", Duration.ofSeconds(30), Duration.ofMillis(50), a::started,
                    () -> String.join("\n", a.lines()));
            b.run(Pipeline.of(o));
            push(b, "s", 1000, ledger);
            Poll.until("both runtimes take jobs", Duration.ofSeconds(30), Duration.ofMillis(20),
                    () -> a.runs() >= 150 && wb.runs() > 0, () -> "A " + a.runs() + ", B " + wb.runs());
            int ranOnA = a.runs();
            a.kill();
            // the jobs A ran count as runs (the ledger got A's lines); B must run everything else and what A held
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
            Poll.until("B ran everything A did not acknowledge", Duration.ofSeconds(60), Duration.ofMillis(50),
                    () -> ledger.lost().isEmpty(), ledger::summary);
            System.out.printf("two runtimes, A killed after %d runs: %s; B ran %d%n", ranOnA, ledger.summary(),
                    wb.runs());
            ledger.assertNoneLost();
            assertTrue("both runtimes took jobs", ranOnA > 0 && wb.runs() > 0);
            // what A had received and not committed runs again on B: at most prefetch jobs per partition it held
            // (6 x 20) plus those it acknowledged within its last commit interval (200 ms at ~400 jobs/s)
            ledger.assertDuplicatesAtMost(6 * prefetch + 100, "what the killed runtime held: prefetch per"
                    + " partition, plus one commit interval of acknowledgements");
        }
    }
}
