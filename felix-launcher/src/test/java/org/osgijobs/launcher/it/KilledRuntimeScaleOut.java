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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;

/**
 * Two runtimes (two copies of the distribution, two JVMs) consume one pipeline, {@code shared}, on a server they
 * share. Round one: the jobs pushed run once in all, by both. Round two: one runtime is killed with SIGKILL while
 * jobs flow; the other runs the rest once the server gives the killed one's jobs back (a lease, an ack wait, a
 * visibility timeout: a few seconds in these tests), and none is lost. A job runs twice only if the killed runtime
 * had run it without settling it: at most its prefetch. A driver's test says how to reach its server and how to
 * configure the pipeline.
 */
public abstract class KilledRuntimeScaleOut {
    private static final int JOBS = 1000;
    /** Each job of round two sleeps: the runtimes then run fewer jobs a second than the producer pushes. */
    private static final int SLEEP_MILLIS = 50;
    private static final int RUN_BEFORE_KILL = 150;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder(Distribution.runsFolder());

    /** @return the driver's name, as in the pipeline file ({@code driver=...}) and the jar in {@code opt/} */
    protected abstract String driver();

    /** @return the server's port on 127.0.0.1, and {@link #startHint()} says how to start it */
    protected abstract int port();

    /** @return how to start the server when it is not answering */
    protected abstract String startHint();

    /** @return the prefetch both runtimes use: the bound on the jobs the killed one held */
    protected abstract int prefetch();

    /**
     * Writes the pipeline {@code shared} (and the driver's connection file, if any) into the copy's {@code conf/}.
     *
     * @param last whether this is the second runtime, which may remove the test's queue when it stops
     */
    protected abstract void configure(Distribution dist, boolean last) throws IOException;

    @Before
    public void serverIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port()), 2000);
        } catch (IOException e) {
            String message = driver() + "'s server is not reachable on 127.0.0.1:" + port() + " (" + e.getMessage()
                    + "): " + startHint();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the " + driver() + " tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    @Test
    public void twoRuntimesShareThePipelineAndTheSurvivorOfASigkillRunsTheRest() throws Exception {
        Distribution a = runtime("a", false);
        Distribution b = runtime("b", true);
        Path script = b.script("produce.gosh",
                "launcher:await shared consuming 60",
                "launcher:await gate-one present 60",
                "i = 0; echo",
                "while { %(i < " + JOBS + ") } { i = %(i + 1); echo (push shared log first id=one-$i) }",
                "launcher:await gate-two present 60",
                "i = 0; echo",
                "while { %(i < " + JOBS + ") } { i = %(i + 1); echo (push shared sleep " + SLEEP_MILLIS
                        + " id=two-$i) }",
                "launcher:await gate-end present 120");
        try (Run runA = a.start("--no-console"); Run runB = b.start("--script", script.toString())) {
            Poll.until("both runtimes consume", STEP, Duration.ofMillis(200),
                    () -> alive(runA, runB) && consuming(runA) && consuming(runB), () -> both(runA, runB));

            openGate(b, "gate-one");
            Poll.until(JOBS + " jobs of round one run", STEP, POLL,
                    () -> alive(runA, runB) && firstRound(runA, runB).size() == JOBS,
                    () -> firstRound(runA, runB).size() + " ran" + both(runA, runB));
            Map<String, Integer> oneA = HandledJobs.logged(runA.log(), "shared", "one-");
            Map<String, Integer> oneB = HandledJobs.logged(runB.log(), "shared", "one-");
            Ledger roundOne = ledger(driver() + " scale-out round one", runB.stdout(), "one-",
                    HandledJobs.merged(oneA, oneB));
            assertEquals("confirmed pushes of round one", JOBS, roundOne.acceptedCount());
            roundOne.assertNoneLost();
            roundOne.assertDuplicatesAtMost(0, "no runtime stopped in round one: each job runs once in all");
            System.out.printf("%s scale-out round one: runtime a %d, runtime b %d; %s%n", driver(), oneA.size(),
                    oneB.size(), roundOne.summary());
            assertTrue("both took jobs: a " + oneA.size() + ", b " + oneB.size(), oneA.size() > 0 && oneB.size() > 0);

            openGate(b, "gate-two");
            Poll.until("runtime a ran " + RUN_BEFORE_KILL + " jobs of round two", STEP, Duration.ofMillis(20),
                    () -> alive(runA, runB) && HandledJobs.slept(runA.log(), "two-").size() >= RUN_BEFORE_KILL,
                    () -> both(runA, runB));
            runA.signal("KILL");
            runA.awaitExit(STEP);
            Map<String, Integer> twoA = HandledJobs.slept(runA.log(), "two-");
            Poll.until(JOBS + " jobs of round two run", Duration.ofSeconds(120), POLL,
                    () -> runB.alive() && secondRound(runA, runB).size() == JOBS,
                    () -> secondRound(runA, runB).size() + " ran" + both(runA, runB));
            Map<String, Integer> twoB = HandledJobs.slept(runB.log(), "two-");
            Ledger roundTwo = ledger(driver() + " scale-out round two", runB.stdout(), "two-",
                    HandledJobs.merged(twoA, twoB));
            assertEquals("confirmed pushes of round two", JOBS, roundTwo.acceptedCount());
            System.out.printf("%s scale-out round two: runtime a ran %d before SIGKILL, b %d; %s%n", driver(),
                    twoA.size(), twoB.size(), roundTwo.summary());
            roundTwo.assertNoneLost();
            roundTwo.assertDuplicatesAtMost(prefetch(), "only a job the killed runtime ran without settling it"
                    + " runs again: at most its prefetch of " + prefetch());

            openGate(b, "gate-end");
            assertEquals(tail(runB.outputs()), 0, runB.awaitExit(STEP));
        }
    }

    /** A copy of the distribution with the driver deployed from {@code opt/} and the pipeline 'shared'. */
    private Distribution runtime(String name, boolean last) throws Exception {
        Distribution dist = Distribution.copyTo(folder.newFolder(name).toPath());
        dist.deployOptional("driver-" + driver() + "-");
        configure(dist, last);
        Files.writeString(dist.conf("jobs.cfg"), "num_workers=2\n");
        return dist;
    }

    private boolean consuming(Run run) throws Exception {
        return run.log().contains("pipeline 'shared' created from configuration (" + driver()
                + " driver, consuming)");
    }

}
