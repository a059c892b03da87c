package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;

/**
 * The distribution's durable pipeline (driver-local) under a push load, its process ended by a signal, started
 * again and drained: no job whose push returned success is lost; after a {@code kill -9} at most {@code prefetch}
 * jobs run a second time, after a SIGTERM none. The kill is tried with {@code sync=batch} (the default: each push
 * forced to disk before it returns) and with {@code sync=none} (written to the operating system only, which keeps
 * it through a crash of the process).
 * <p>
 * <b>What counts as accepted.</b> The producer is the distribution's own script (a local pipeline's file serves one
 * process): it pushes ids {@code k-1, k-2, ...} one at a time and prints {@code pushed k-N to durable} after each
 * push returned, which is after the driver committed it (and forced it, under {@code sync=batch}). A push's line is on
 * standard output (a file: the kernel keeps it through a kill) only once the push succeeded, so the ids printed
 * before the signal are exactly the pushes that returned success; the one push under way when the signal came has
 * no outcome and may or may not run. A job is handled when the {@code sleep} handler finished it: its "woke up"
 * line in the log of either process, written before the handler returns, so before its acknowledgement can be
 * committed. A run cut short by the kill ("sleeping" without "woke up") does not count as handled: a driver that
 * dropped the jobs running at a crash would lose them.
 */
public class LocalCrashIT {
    private static final String PIPELINE = "durable";
    private static final int PREFETCH = 50;
    /** Each job sleeps this long: two workers run fewer jobs a second than the script pushes, so jobs pile up. */
    private static final int SLEEP_MILLIS = 20;
    /** Gogo keeps a loop's buffers until its statement ends: many loops of this many pushes keep the heap small. */
    private static final int PUSHES_PER_STATEMENT = 200;
    private static final int STATEMENTS = 50;
    /** The signal comes once this many pushes returned and this many jobs started: mid-load, with a backlog. */
    private static final int ACCEPTED_BEFORE_SIGNAL = 500;
    private static final int STARTED_BEFORE_SIGNAL = 100;
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Pattern ACCEPTED = Pattern.compile("(?m)^pushed k-(\\d+) to " + PIPELINE + "$");
    private static final Pattern RECOVERED = Pattern.compile("pipeline '" + PIPELINE
            + "': (\\d+) jobs in \\S+ \\((\\d+) ready, (\\d+) delayed\\)(?:; (\\d+) were running)?");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder(Distribution.runsFolder());

    @Test
    public void aKillDashNineUnderPushLoadLosesNoAcceptedJobAndRunsAtMostPrefetchJobsAgain() throws Exception {
        Outcome outcome = signalUnderLoadRestartAndDrain("KILL", "batch");
        outcome.ledger.assertNoneLost();
        outcome.ledger.assertDuplicatesAtMost(PREFETCH, "only jobs handed to the runtime whose settlement was not "
                + "committed at the kill run again, and the driver hands out at most prefetch=" + PREFETCH);
        assertTrue(outcome.restarts + " runs began a second time, more than prefetch=" + PREFETCH,
                outcome.restarts <= PREFETCH);
    }

    /** sync=none leaves the forcing to the operating system: a process's crash still loses nothing it wrote. */
    @Test
    public void aKillDashNineWithSyncNoneLosesNoAcceptedJobEither() throws Exception {
        Outcome outcome = signalUnderLoadRestartAndDrain("KILL", "none");
        outcome.ledger.assertNoneLost();
        outcome.ledger.assertDuplicatesAtMost(PREFETCH, "only jobs handed to the runtime whose settlement was not "
                + "committed at the kill run again, and the driver hands out at most prefetch=" + PREFETCH);
        assertTrue(outcome.restarts + " runs began a second time, more than prefetch=" + PREFETCH,
                outcome.restarts <= PREFETCH);
    }

    @Test
    public void aSigtermUnderPushLoadLosesNoAcceptedJobAndRunsNoJobTwice() throws Exception {
        Outcome outcome = signalUnderLoadRestartAndDrain("TERM", "batch");
        assertTrue("SIGTERM stops the runtime gracefully\n" + tail(outcome.firstLog),
                outcome.firstLog.contains("INFO GracefulStop - runtime stopped"));
        outcome.ledger.assertNoneLost();
        outcome.ledger.assertDuplicatesAtMost(0, "a graceful stop lets the running jobs (" + SLEEP_MILLIS
                + " ms each) finish and commits their settlements; the jobs not taken stay in the file untouched");
        assertEquals("runs that began a second time after a graceful stop", 0, outcome.restarts);
    }

    /**
     * What one scenario left: its ledger of handled jobs, how many runs began again (a job whose run the signal
     * cut short and that ran again counts here, not as a duplicate handling) and the first process's log.
     */
    private record Outcome(Ledger ledger, int restarts, String firstLog) {
    }

    private Outcome signalUnderLoadRestartAndDrain(String signal, String sync) throws Exception {
        long began = System.nanoTime();
        Distribution dist = durableDistribution(sync);
        Path push = dist.script("push.gosh", pushScript());
        Path drain = dist.script("drain.gosh",
                "launcher:await " + PIPELINE + " consuming 60",
                "launcher:drain " + PIPELINE + " 60",
                "stat " + PIPELINE);

        String firstStdout;
        String firstLog;
        int exit;
        try (Run first = dist.start("--script", push.toString())) {
            Poll.until(ACCEPTED_BEFORE_SIGNAL + " pushes returned and " + STARTED_BEFORE_SIGNAL + " jobs started",
                    STEP, Duration.ofMillis(20), () -> {
                        if (!first.alive()) {
                            throw new AssertionError("the distribution exited early\n" + tail(first.outputs()));
                        }
                        return accepted(first.stdout()).size() >= ACCEPTED_BEFORE_SIGNAL
                                && HandledJobs.started(first.log(), "k-").size() >= STARTED_BEFORE_SIGNAL;
                    }, () -> tail(first.outputs()));
            first.signal(signal);
            exit = first.awaitExit(STEP);
            firstStdout = first.stdout();
            firstLog = first.log();
        }
        long signalled = System.nanoTime();
        assertNotEquals("the script ended before the signal: no load at the signal\n" + tail(firstStdout), 0, exit);

        String log;
        String secondStdout;
        try (Run second = dist.start("--script", drain.toString())) {
            int drained = second.awaitExit(Duration.ofSeconds(90));
            secondStdout = second.stdout();
            log = second.log();
            assertEquals(tail(second.outputs()), 0, drained);
        }
        assertTrue(secondStdout, secondStdout.matches("(?s).*\\n" + PIPELINE + " +local +\\S+ +0 +0 +0 +true\\b.*"));

        // the ledger: the pushes that returned success before the signal, and every run in both processes
        List<Integer> accepted = accepted(firstStdout);
        int last = accepted.isEmpty() ? 0 : accepted.get(accepted.size() - 1);
        for (int i = 0; i < accepted.size(); i++) {
            assertEquals("the script pushes one id after the other and stops at a failure: the accepted ids are "
                    + "k-1 to k-" + last, i + 1, (int) accepted.get(i));
        }
        String scenario = "local " + signal + " sync=" + sync;
        Ledger ledger = new Ledger(scenario);
        accepted.forEach(n -> ledger.accepted("k-" + n));
        ledger.pushed("k-" + (last + 1)); // under way at the signal: no outcome
        HandledJobs.slept(log, "k-").forEach(ledger::ran);
        Map<String, Integer> started = HandledJobs.started(log, "k-");
        TreeSet<String> neverPushed = new TreeSet<>(started.keySet());
        for (int n = 1; n <= last + 1; n++) {
            neverPushed.remove("k-" + n);
        }
        assertEquals("jobs ran that the script had not pushed when the signal came: the accepted ids are not what "
                + "returned success", new TreeSet<String>(), neverPushed);

        String secondLog = log.substring(Math.min(firstLog.length(), log.length()));
        Matcher recovered = RECOVERED.matcher(secondLog);
        assertTrue("the restarted driver found no job in the file: the signal came when nothing was pending\n"
                + tail(secondLog), recovered.find());
        int inFile = Integer.parseInt(recovered.group(1));
        String wereRunning = recovered.group(4) == null ? "0" : recovered.group(4);
        int startedBefore = HandledJobs.started(firstLog, "k-").size();
        int handledBefore = HandledJobs.slept(firstLog, "k-").size();
        System.out.printf("%s: %d pushes returned success before the signal (%d jobs had started, %d "
                + "finished), exit %d; the restart found %d jobs in the file (%s were running); %d runs started in "
                + "all; %d duplicate handlings: %s; %s; %d ms%n", scenario, last, startedBefore, handledBefore, exit,
                inFile, wereRunning, HandledJobs.runs(started), ledger.duplicates(), duplicates(ledger),
                ledger.summary(), (System.nanoTime() - began) / 1_000_000);
        System.out.printf("%s: restart and drain took %d ms%n", scenario,
                (System.nanoTime() - signalled) / 1_000_000);
        return new Outcome(ledger, HandledJobs.runs(started) - started.size(), firstLog);
    }

    /** A copy of the distribution whose shipped 'durable' pipeline has prefetch=50 and the sync, with two workers. */
    private Distribution durableDistribution(String sync) throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Path conf = dist.conf("jobs.pipeline-" + PIPELINE + ".cfg");
        String shipped = Files.readString(conf);
        Pattern prefetch = Pattern.compile("(?m)^prefetch=\\d+$");
        Pattern syncLine = Pattern.compile("(?m)^sync=\\w+$");
        assertTrue("the distribution's durable pipeline is a local one with its prefetch and sync set\n" + shipped,
                shipped.matches("(?s).*(^|\n)driver=local\n.*") && prefetch.matcher(shipped).find()
                        && syncLine.matcher(shipped).find());
        String edited = prefetch.matcher(shipped).replaceAll("prefetch=" + PREFETCH);
        Files.writeString(conf, syncLine.matcher(edited).replaceAll("sync=" + sync));
        Files.writeString(dist.conf("jobs.cfg"), "num_workers=2\n");
        return dist;
    }

    /** Pushes k-1, k-2, ... one at a time, each printed once it returned; far more than the test waits for. */
    private static String[] pushScript() {
        List<String> lines = new ArrayList<>();
        lines.add("launcher:await " + PIPELINE + " consuming 60");
        lines.add("i = 0; echo");
        for (int s = 1; s <= STATEMENTS; s++) {
            lines.add("while { %(i < " + s * PUSHES_PER_STATEMENT + ") } { i = %(i + 1); echo (push " + PIPELINE
                    + " sleep " + SLEEP_MILLIS + " id=k-$i) }");
        }
        return lines.toArray(new String[0]);
    }

    /** @return the numbers of the ids whose push returned, in the order printed */
    private static List<Integer> accepted(String stdout) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = ACCEPTED.matcher(stdout);
        while (m.find()) {
            ids.add(Integer.parseInt(m.group(1)));
        }
        return ids;
    }

    private static List<String> duplicates(Ledger ledger) {
        return ledger.runsById().entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + "×" + e.getValue()).toList();
    }

    private static String tail(String text) {
        int keep = 6000;
        return text.length() <= keep ? text : "..." + text.substring(text.length() - keep);
    }
}
