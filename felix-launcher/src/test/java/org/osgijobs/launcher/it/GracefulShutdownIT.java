package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ctrl-C and SIGTERM stop the runtime gracefully: intake stops, the job that runs finishes, the jobs still queued
 * in memory are reported, and the process ends.
 */
public class GracefulShutdownIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /**
     * Issue 9: SIGTERM made the JVM exit with 143 after its shutdown hooks, and EventAdmin, stopping while the log
     * service still fed it events, logged that its delivery was interrupted.
     */
    @Test
    public void sigtermStopsAServiceQuietlyAtOnceAndExitsZero() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (Run run = dist.start("--no-console")) {
            stopsQuietlyAtOnce(run, () -> run.signal("TERM"));
        }
    }

    /**
     * Issue 9: on SIGTERM, jline's shutdown hook gave the terminal back while Gogo's console still read from it, so
     * that Gogo waited 5 s for the console's thread and printed "!!! FAILED TO STOP EXECUTOR !!!".
     */
    @Test
    public void sigtermStopsTheConsoleQuietlyAtOnceAndExitsZero() throws Exception {
        Assume.assumeTrue("needs " + Run.SCRIPT + " (util-linux) to give the console a terminal",
                Files.isExecutable(Run.SCRIPT));
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (Run run = dist.startInTerminal()) {
            stopsQuietlyAtOnce(run, () -> run.signal("TERM"));
        }
    }

    @Test
    public void theConsolesShutdownStopsQuietlyAtOnceAndExitsZero() throws Exception {
        Assume.assumeTrue("needs " + Run.SCRIPT + " (util-linux) to give the console a terminal",
                Files.isExecutable(Run.SCRIPT));
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (Run run = dist.startInTerminal()) {
            stopsQuietlyAtOnce(run, () -> run.type("shutdown\r"));
        }
    }

    @FunctionalInterface
    private interface Stop {
        void run() throws Exception;
    }

    /** With nothing running, a stop takes well under Gogo's 5 s wait, logs nothing untoward and ends with 0. */
    private static void stopsQuietlyAtOnce(Run run, Stop stop) throws Exception {
        // on a terminal, the log goes to it (standard output) as well as to log/jobs.log
        run.awaitLog("OSGi Jobs ready in ", 1, STEP);
        long begin = System.nanoTime();
        stop.run();
        int status = run.awaitExit(STEP);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        String all = run.outputs() + "--- log ---\n" + run.log();
        assertEquals(all, 0, status);
        assertTrue("the stop took " + millis + " ms\n" + all, millis < 5000);
        assertTrue(all, run.log().contains("runtime stopped"));
        for (String noise : new String[] { "FAILED TO STOP EXECUTOR", "Interrupted", "Exception", "\tat " }) {
            assertFalse("'" + noise + "' at the stop\n" + all, all.contains(noise));
        }
    }

    @Test
    public void sigtermLetsTheRunningJobFinishAndReportsTheQueuedOnes() throws Exception {
        stopsGracefullyOn("TERM");
    }

    @Test
    public void ctrlCLetsTheRunningJobFinishAndReportsTheQueuedOnes() throws Exception {
        stopsGracefullyOn("INT");
    }

    private void stopsGracefullyOn(String signal) throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Path script = dist.script("slow.gosh",
                "push default sleep 1500 id=s1",
                "push default sleep 1500 id=s2",
                "push default sleep 1500 id=s3",
                "push default sleep 1500 id=s4",
                "# keeps the script busy until the signal comes",
                "launcher:await never-there present 120");
        try (Run run = dist.start("--script", script.toString())) {
            // every push done (the script waits in its last line), the first job running
            run.awaitStdout("> launcher:await never-there", 1, STEP);
            run.awaitLog("attempt=1: sleeping 1500 ms", 1, STEP);
            run.signal(signal);
            int status = run.awaitExit(STEP);
            assertNotEquals(run.outputs(), 0, status);

            String log = run.log();
            int stopping = log.indexOf("stopping the runtime");
            int stopped = log.indexOf("runtime stopped", stopping);
            assertTrue(log, stopping >= 0 && stopped > stopping);
            // every job that had started finished before the runtime stopped
            int started = 0;
            for (String id : new String[] { "s1", "s2", "s3", "s4" }) {
                if (log.contains("job sleep id=" + id + " attempt=1: sleeping")) {
                    started++;
                    int finished = log.indexOf("job sleep id=" + id + ": woke up after 1500 ms");
                    assertTrue(id + " did not finish before the runtime stopped\n" + log,
                            finished > stopping && finished < stopped);
                }
            }
            assertTrue(log, started >= 1);
            // the jobs that had not started were reported, not silently dropped
            Matcher reported = Pattern.compile("pipeline 'default'[^\\n]*: (\\d+) queued jobs").matcher(log);
            assertTrue(log, reported.find());
            assertEquals(log, 4, started + Integer.parseInt(reported.group(1)));
        }
    }
}
