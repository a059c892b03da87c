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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.PostgresServer;

/**
 * Two runtimes (two copies of the distribution, two JVMs) consume one jdbc pipeline on the shared PostgreSQL. Round
 * one: 1,000 jobs run once in all, by both. Round two: runtime a is killed with SIGKILL while it holds leased rows
 * (read from the table: {@code locked_by} names its process id); those rows stay leased until the lease (3 s)
 * expires, then runtime b takes them over and runs each once more with attempt 2. Nothing is lost; the duplicates
 * are at most a's prefetch.
 */
public class JdbcScaleOutIT {
    private static final int JOBS = 1000;
    private static final int PREFETCH = 10;
    private static final int LEASE_SECONDS = 3;
    /** Each job of round two sleeps: the runtimes then run fewer jobs a second than the producer pushes. */
    private static final int SLEEP_MILLIS = 50;
    private static final int RUN_BEFORE_KILL = 150;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String TABLE = "osgijobs_jobs";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder(Distribution.runsFolder());
    private String schema;

    @Before
    public void createSchema() throws Exception {
        PostgresServer.assumeReachable();
        schema = PostgresServer.uniqueSchema();
        try (Connection c = PostgresServer.connect()) {
            PostgresServer.createSchema(c, schema);
        }
    }

    @After
    public void dropSchema() throws Exception {
        if (schema != null && PostgresServer.reachable()) {
            try (Connection c = PostgresServer.connect()) {
                PostgresServer.dropSchema(c, schema);
            }
        }
    }

    @Test
    public void twoRuntimesShareThePipelineAndTheLeasesOfAKilledOneAreTakenOverAndRunOnceMore() throws Exception {
        Distribution a = runtime("a");
        Distribution b = runtime("b");
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
            Poll.until("both runtimes consume", STEP, POLL,
                    () -> alive(runA, runB) && consuming(runA) && consuming(runB), () -> both(runA, runB));

            openGate(b, "gate-one");
            Poll.until(JOBS + " jobs of round one run", STEP, POLL,
                    () -> alive(runA, runB) && firstRound(runA, runB).size() == JOBS,
                    () -> firstRound(runA, runB).size() + " ran" + both(runA, runB));
            Map<String, Integer> oneA = HandledJobs.logged(runA.log(), "shared", "one-");
            Map<String, Integer> oneB = HandledJobs.logged(runB.log(), "shared", "one-");
            Ledger roundOne = ledger("jdbc scale-out round one", runB.stdout(), "one-",
                    HandledJobs.merged(oneA, oneB));
            assertEquals("confirmed pushes of round one", JOBS, roundOne.acceptedCount());
            roundOne.assertNoneLost();
            roundOne.assertDuplicatesAtMost(0, "no runtime stopped in round one: each job runs once in all");
            System.out.printf("jdbc scale-out round one: runtime a %d, runtime b %d; %s%n", oneA.size(), oneB.size(),
                    roundOne.summary());
            assertTrue("both took jobs: a " + oneA.size() + ", b " + oneB.size(), oneA.size() > 0 && oneB.size() > 0);

            openGate(b, "gate-two");
            Poll.until("runtime a ran " + RUN_BEFORE_KILL + " jobs of round two", STEP, Duration.ofMillis(20),
                    () -> alive(runA, runB) && HandledJobs.slept(runA.log(), "two-").size() >= RUN_BEFORE_KILL,
                    () -> both(runA, runB));
            long pidA = runA.pid();
            runA.signal("KILL");
            runA.awaitExit(STEP);
            long killedAt = System.nanoTime();
            // what a dead runtime leaves: rows leased to it (its lease names its process), none settled any more
            Set<String> leftLeased = leasedBy(pidA);
            System.out.printf("jdbc scale-out: runtime a (pid %d) killed holding %d leased rows: %s%n", pidA,
                    leftLeased.size(), leftLeased);
            assertTrue("runtime a held leased rows when it was killed", !leftLeased.isEmpty());
            assertTrue("at most its prefetch: " + leftLeased, leftLeased.size() <= PREFETCH);

            Poll.until("runtime b took over the rows leased to a", Duration.ofSeconds(60), POLL,
                    () -> runB.alive() && leasedBy(pidA).isEmpty(), () -> leasedBy(pidA) + both(runA, runB));
            double tookOverAfter = (System.nanoTime() - killedAt) / 1e9;
            Poll.until(JOBS + " jobs of round two run", Duration.ofSeconds(120), POLL,
                    () -> runB.alive() && secondRound(runA, runB).size() == JOBS,
                    () -> secondRound(runA, runB).size() + " ran" + both(runA, runB));
            Map<String, Integer> twoA = HandledJobs.slept(runA.log(), "two-");
            Map<String, Integer> twoB = HandledJobs.slept(runB.log(), "two-");
            Ledger roundTwo = ledger("jdbc scale-out round two", runB.stdout(), "two-",
                    HandledJobs.merged(twoA, twoB));
            assertEquals("confirmed pushes of round two", JOBS, roundTwo.acceptedCount());
            System.out.printf("jdbc scale-out round two: runtime a ran %d before SIGKILL, b %d; its %d leases taken"
                    + " over %.1f s after the kill (lease %d s); %s%n", twoA.size(), twoB.size(), leftLeased.size(),
                    tookOverAfter, LEASE_SECONDS, roundTwo.summary());
            roundTwo.assertNoneLost();
            roundTwo.assertDuplicatesAtMost(PREFETCH, "only rows the killed runtime held leased run again: at most"
                    + " its prefetch of " + PREFETCH);

            // each row a left leased started once more in b, as its attempt 2 (the takeover counts the attempt)
            Map<String, Integer> attemptsInB = startedAttempts(runB.log());
            for (String id : leftLeased) {
                assertEquals("attempt of " + id + " in runtime b", Integer.valueOf(2), attemptsInB.get(id));
            }
            assertTrue("runtime b says it took over expired leases", Pattern.compile("pipeline 'shared': took over \\d+"
                    + " jobs whose lease had expired").matcher(runB.log()).find());

            openGate(b, "gate-end");
            assertEquals(tail(runB.outputs()), 0, runB.awaitExit(STEP));
        }
    }

    /** A copy of the distribution with driver-jdbc, the OSGi JDBC package and pgjdbc deployed, pipeline 'shared'. */
    private Distribution runtime(String name) throws Exception {
        Distribution dist = Distribution.copyTo(folder.newFolder(name).toPath());
        dist.deployOptional("org.osgi.service.jdbc-");
        dist.deployOptional("postgresql-");
        dist.deployOptional("driver-jdbc-");
        Files.writeString(dist.conf("jobs.jdbc.cfg"), "url=" + PostgresServer.urlFor(schema) + "\nuser="
                + PostgresServer.USER + "\npassword=\npool_size=4\n");
        Files.writeString(dist.conf("jobs.pipeline-shared.cfg"), "driver=jdbc\nprefetch=" + PREFETCH + "\nlease="
                + LEASE_SECONDS + "\npoll_interval=0.5\n");
        Files.writeString(dist.conf("jobs.cfg"), "num_workers=2\n");
        return dist;
    }

    /** @return the job ids of the rows leased to the runtime of that process id */
    private Set<String> leasedBy(long pid) throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Connection c = PostgresServer.connect(); PreparedStatement ps = c.prepareStatement("SELECT job_id FROM "
                + schema + "." + TABLE + " WHERE pipeline = 'shared' AND locked_by LIKE ?")) {
            ps.setString(1, "pid" + pid + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** @return id → the highest attempt a round-two job started with in the log */
    private static Map<String, Integer> startedAttempts(String log) {
        Map<String, Integer> attempts = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)job sleep id=(two-\\d+) attempt=(\\d+): sleeping ").matcher(log);
        while (m.find()) {
            attempts.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
        }
        return attempts;
    }

    private static boolean consuming(Run run) throws Exception {
        return run.log().contains("pipeline 'shared' created from configuration (jdbc driver, consuming)");
    }

}
