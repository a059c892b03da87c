package org.osgijobs.launcher.it;

import static org.osgijobs.launcher.it.TwoRuntimes.alive;
import static org.osgijobs.launcher.it.TwoRuntimes.both;
import static org.osgijobs.launcher.it.TwoRuntimes.firstRound;
import static org.osgijobs.launcher.it.TwoRuntimes.ledger;
import static org.osgijobs.launcher.it.TwoRuntimes.openGate;
import static org.osgijobs.launcher.it.TwoRuntimes.secondRound;
import static org.osgijobs.launcher.it.TwoRuntimes.tail;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;

/**
 * Several runtimes share a RabbitMQ queue: two copies of the distribution, two JVMs, one AMQP pipeline each on
 * the same queue. The jobs pushed are each run exactly once in all, by both runtimes; when one runtime is stopped
 * with SIGTERM while jobs flow, the other runs the rest and none is lost (a job may run twice only if it was in
 * flight in the stopped runtime).
 */
public class ScaleOutIT {
    private static final int JOBS = 1000;
    private static final int PREFETCH = 10;
    /**
     * How long each job of the second round sleeps: the two runtimes (2 workers each) then run fewer jobs a second
     * than the script pushes, so the broker has jobs waiting and the stopped runtime holds a full prefetch.
     */
    private static final int SLEEP_MILLIS = 50;
    /** How many jobs of the second round the runtime to stop runs first. */
    private static final int RUN_BEFORE_STOP = 150;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String AMQP_DRIVER = "org.osgijobs.driver.amqp.internal.AmqpDriver";
    private static final Pattern HANDED_BACK = Pattern
            .compile("pipeline 'shared': (\\d+) jobs not yet taken went back to the broker");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder(Distribution.runsFolder());
    @Rule
    public final BrokerQueue brokerQueue = new BrokerQueue("jobs-launcher-it-scale");
    private final String queue = brokerQueue.name();

    @Test
    public void twoRuntimesShareTheQueueAndTheSurvivorOfASigtermRunsTheRest() throws Exception {
        Distribution a = runtime("a");
        Distribution b = runtime("b");
        // b is also the producer: each round waits for a gate (a pipeline file the test adds to b's conf/)
        Path script = b.script("produce.gosh",
                "launcher:await shared consuming 60",
                "launcher:await gate-one present 60",
                "i = 0; echo",
                "while { %(i < " + JOBS + ") } { i = %(i + 1); echo (push shared log first id=one-$i) }",
                "launcher:await gate-two present 60",
                "i = 0; echo",
                "while { %(i < " + JOBS + ") } { i = %(i + 1); echo (push shared sleep " + SLEEP_MILLIS
                        + " id=two-$i) }",
                "launcher:await gate-end present 90");
        try (Run runA = a.start("--no-console"); Run runB = b.start("--script", script.toString())) {
            Poll.until("both runtimes consume the queue " + queue, STEP, Duration.ofSeconds(1),
                    () -> alive(runA, runB)
                            && RabbitMqBroker.queueCounts(queue).map(q -> q.consumers() == 2).orElse(false),
                    () -> "broker: " + RabbitMqBroker.queueCounts(queue) + both(runA, runB));

            // round one: every job exactly once in all, and both runtimes take part
            openGate(b, "gate-one");
            Poll.until(JOBS + " jobs of round one run", STEP, POLL,
                    () -> alive(runA, runB) && firstRound(runA, runB).size() == JOBS,
                    () -> firstRound(runA, runB).size() + " ran" + both(runA, runB));
            awaitSettled(runA, runB);
            Map<String, Integer> oneA = HandledJobs.logged(runA.log(), "shared", "one-");
            Map<String, Integer> oneB = HandledJobs.logged(runB.log(), "shared", "one-");
            Map<String, Integer> one = HandledJobs.merged(oneA, oneB);
            assertEquals(tail(runB.stdout()), JOBS, Run.count(runB.stdout(), "\npushed one-"));
            assertEquals("the ids of round one", ids("one-"), one.keySet());
            Ledger roundOne = ledger("scale-out round one", runB.stdout(), "one-", one);
            assertEquals("confirmed pushes of round one", JOBS, roundOne.acceptedCount());
            roundOne.assertNoneLost();
            roundOne.assertDuplicatesAtMost(0, "no runtime stopped in round one: each job runs exactly once in all");
            System.out.printf("scale-out round one: %d jobs, each run once: runtime a %d, runtime b %d; %s%n", JOBS,
                    oneA.size(), oneB.size(), roundOne.summary());
            assertTrue("runtime a took no job: a " + oneA.size() + ", b " + oneB.size(), oneA.size() > 0);
            assertTrue("runtime b took no job: a " + oneA.size() + ", b " + oneB.size(), oneB.size() > 0);

            // round two: a gets SIGTERM while jobs flow; b runs the rest
            openGate(b, "gate-two");
            Poll.until("runtime a ran " + RUN_BEFORE_STOP + " jobs of round two", STEP, Duration.ofMillis(20),
                    () -> alive(runA, runB) && HandledJobs.slept(runA.log(), "two-").size() >= RUN_BEFORE_STOP,
                    () -> both(runA, runB));
            int doneAtStop = secondRound(runA, runB).size();
            int pushedAtStop = Run.count(runB.stdout(), "\npushed two-");
            long signalled = System.nanoTime();
            runA.signal("TERM");
            runA.awaitExit(STEP);
            long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(runA.log(), runA.log().contains("runtime stopped"));
            Map<String, Integer> twoA = HandledJobs.slept(runA.log(), "two-");
            Set<String> cutShort = new TreeSet<>(HandledJobs.started(runA.log(), "two-").keySet());
            cutShort.removeAll(twoA.keySet());
            Matcher handedBack = HANDED_BACK.matcher(runA.log());
            String returned = handedBack.find() ? handedBack.group(1) : "0";
            Poll.until(JOBS + " jobs of round two run", Duration.ofSeconds(90), POLL,
                    () -> runB.alive() && secondRound(runA, runB).size() == JOBS,
                    () -> secondRound(runA, runB).size() + " ran" + both(runA, runB));
            awaitSettled(runB);
            Map<String, Integer> twoB = HandledJobs.slept(runB.log(), "two-");
            Map<String, Integer> two = HandledJobs.merged(twoA, twoB);
            assertEquals(tail(runB.stdout()), JOBS, Run.count(runB.stdout(), "\npushed two-"));
            assertEquals("the ids of round two", ids("two-"), two.keySet());
            Ledger roundTwo = ledger("scale-out round two", runB.stdout(), "two-", two);
            assertEquals("confirmed pushes of round two", JOBS, roundTwo.acceptedCount());
            Set<String> twice = roundTwo.runsById().entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            Set<String> afterStop = twoB.keySet().stream().filter(id -> !twoA.containsKey(id))
                    .collect(Collectors.toCollection(TreeSet::new));
            System.out.printf("scale-out round two: %d jobs; when runtime a got SIGTERM %d were pushed and %d run; a "
                    + "stopped in %d ms having run %d (%d started there and not finished), returning %s deliveries it "
                    + "had not started to the broker; b ran %d (%d that a had not run); %d run twice: %s; %s%n",
                    JOBS, pushedAtStop, doneAtStop, stopMillis, twoA.size(), cutShort.size(), returned, twoB.size(),
                    afterStop.size(), twice.size(), twice, roundTwo.summary());
            roundTwo.assertNoneLost();
            assertTrue("the stop came after all the work was done: " + doneAtStop, doneAtStop < JOBS);
            // only a job that a ran but could not acknowledge before it stopped may run again, in b: at most the
            // deliveries a held unacknowledged, prefetch of them
            for (String id : twice) {
                assertTrue(id + " ran twice without running in the stopped runtime", twoA.containsKey(id));
                assertEquals(id + " ran more than once in one runtime", 1, (int) twoA.get(id));
                assertEquals(id + " ran more than once in one runtime", 1, (int) twoB.get(id));
            }
            roundTwo.assertDuplicatesAtMost(PREFETCH, "only a job that runtime a ran but had not acknowledged when "
                    + "it got SIGTERM runs again, in b, once: at most the prefetch=" + PREFETCH + " deliveries a held");

            openGate(b, "gate-end");
            assertEquals(tail(runB.outputs()), 0, runB.awaitExit(STEP));
        }
    }

    /** A copy of the distribution with the AMQP driver deployed and one pipeline, 'shared', on the queue. */
    private Distribution runtime(String name) throws Exception {
        Distribution dist = Distribution.copyTo(folder.newFolder(name).toPath());
        dist.deployOptional("driver-amqp-");
        Files.writeString(dist.conf("jobs.pipeline-shared.cfg"), "driver=amqp\nqueue=" + queue + "\nrouting_key="
                + queue + "\nprefetch=" + PREFETCH + "\n");
        Files.writeString(dist.conf("jobs.cfg"), "num_workers=2\n");
        // the driver says at debug level how many deliveries it returns to the broker when it stops
        Files.writeString(dist.conf("system.properties"), "org.slf4j.simpleLogger.log." + AMQP_DRIVER + "=debug\n",
                StandardOpenOption.APPEND);
        return dist;
    }

    /** Waits until the broker holds no message of the queue, ready or unacknowledged: no job can come again. */
    private void awaitSettled(Run... runs) throws Exception {
        Poll.until("queue " + queue + " settled", STEP, Duration.ofSeconds(1),
                () -> RabbitMqBroker.queueCounts(queue).map(RabbitMqBroker.QueueCounts::settled).orElse(false),
                () -> "broker: " + RabbitMqBroker.queueCounts(queue) + (runs.length == 2 ? both(runs[0], runs[1])
                        : tail(runs[0].outputs())));
    }

    private static Set<String> ids(String prefix) {
        return IntStream.rangeClosed(1, JOBS).mapToObj(i -> prefix + i).collect(Collectors.toCollection(TreeSet::new));
    }

}
