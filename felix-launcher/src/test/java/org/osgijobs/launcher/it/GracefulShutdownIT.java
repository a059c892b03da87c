package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
