package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The distribution driven by command scripts, without a terminal, as scripts and operators use it. */
public class ScriptRunIT {
    private static final Duration EXIT = Duration.ofSeconds(90);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    private Distribution dist;

    @Before
    public void copyDistribution() throws Exception {
        dist = Distribution.copyTo(folder.getRoot().toPath());
    }

    @Test
    public void aScriptThatExhaustsTheHeapFailsNamingItAndTheRuntimeStopsInOrder() throws Exception {
        // a Gogo loop keeps every iteration's buffers until the statement ends: with 48 MB it runs out quickly
        Path script = dist.script("loop.gosh", "while { true } { push default log x }");
        try (Run run = dist.startWithJavaOpts("-Xms32m -Xmx48m", "--script", script.toString())) {
            assertEquals(run.outputs(), 1, run.awaitExit(EXIT));
            String log = run.log();
            assertTrue(log, log.contains("failed: the heap is exhausted (")
                    && log.contains("push many jobs with 'push ... count=N'"));
            // stopped as after any failed command: in order, not torn down
            assertTrue(log, log.contains("runtime stopped"));
            assertTrue(log, !log.contains("the launcher failed"));
        }
    }

    @Test
    public void pushesToTheDefaultPipelineReadsStatSeesThemProcessedAndExitsZero() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# jobs for the example handlers, from a script");
        for (int i = 1; i <= 20; i++) {
            lines.add("jobs:push default log \"job " + i + "\"");
        }
        lines.add("push default log urgent priority=1 h.trace=t-1 id=urgent-1");
        lines.add("push default log later delay=1 id=later-1");
        lines.add("jobs:stat");
        lines.add("launcher:drain default 60");
        lines.add("jobs:stats default");
        lines.add("jobs:stat default");
        Path script = dist.script("push.gosh", lines.toArray(String[]::new));

        try (Run run = dist.start("--script", script.toString())) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("pipeline default drained: 22 processed"));
            assertTrue(out, out.contains("pushed=22 push_errors=0 processed=22 failed=0"));
            // the stat table: a header and one row per pipeline, default consuming, failed paused
            assertTrue(out, Pattern.compile("(?m)^PIPELINE +DRIVER +QUEUE +ACTIVE +DELAYED +RESERVED +READY")
                    .matcher(out).find());
            assertTrue(out, Pattern.compile("(?m)^default +memory +default +0 +0 +0 +true +10$").matcher(out).find());
            assertTrue(out, Pattern.compile("(?m)^failed +memory +failed +\\d+ +\\d+ +\\d+ +false").matcher(out)
                    .find());

            String log = run.log();
            assertEquals(log, 22, Run.count(log, "LogJobHandler - job log "));
            for (int i = 1; i <= 20; i++) {
                assertTrue("job " + i + " not handled\n" + log, log.contains("payload='job " + i + "'"));
            }
            assertTrue(log, log.contains("id=urgent-1 pipeline=default priority=1 attempt=1 headers={trace=[t-1]}"));
            assertTrue(log, log.contains("id=later-1 pipeline=default priority=10"));
            assertTrue(log, log.contains("OSGi Jobs ready in "));
            // FileInstall logs through the OSGi log service: the bridge puts its lines in the same log
            assertTrue(log, log.contains("fileinstall - Creating configuration {jobs.pipeline~default} from "));
            assertTrue(log, log.contains("runtime stopped"));
            // a start that got ready keeps its class data sharing archive for the next ones
            assertTrue(Files.isRegularFile(dist.home().resolve("data/jobs.jsa.ready")));
            assertTrue(Files.isRegularFile(dist.home().resolve("data/jobs.jsa")));
        }
    }

    @Test
    public void failingJobsAreRetriedThenDeadLettered() throws Exception {
        Path script = dist.script("fail.gosh",
                "push default fail \"\" id=doomed",
                "push default fail 2 id=second-time-lucky",
                "drain default 60",
                "stats default",
                "stat failed");
        try (Run run = dist.start("-s", script.toString())) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("processed=1 failed=4 "));
            assertTrue(out, out.contains(" dead_lettered=1 "));
            // the dead letter waits in the paused 'failed' pipeline
            Matcher row = Pattern.compile("(?m)^failed +memory +failed +(\\d+) ").matcher(out);
            assertTrue(out, row.find());
            assertEquals(out, "1", row.group(1));
            String log = run.log();
            assertEquals(log, 3, Run.count(log, "job fail id=doomed: attempt"));
            assertTrue(log, log.contains("job fail id=second-time-lucky: attempt 2 succeeds"));
        }
    }

    @Test
    public void aFailingCommandStopsTheScriptAndExitsOne() throws Exception {
        Path script = dist.script("bad.gosh", "jobs:push nowhere log x", "jobs:list");
        try (Run run = dist.start("--script", script.toString())) {
            assertEquals(run.outputs(), 1, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("> jobs:push nowhere log x"));
            assertFalse("the script went on after the failure\n" + out, out.contains("> jobs:list"));
            String log = run.log();
            assertTrue(log, log.contains("bad.gosh:1: 'jobs:push nowhere log x' failed: "));
            assertTrue(log, log.contains("nowhere"));
        }
    }

    /**
     * Issue 9: a script's session was opened on Gogo's per-thread System streams, so every log line written on the
     * script's thread (a declare, the DS callbacks an update runs) looped until the stack overflowed.
     */
    @Test
    public void aScriptThatDeclaresAndUpdatesTheDriverGoesOnWorkingAndExitsZero() throws Exception {
        Path script = dist.script("update.gosh",
                "declare name=reports driver=memory priority=5",
                "update org.osgijobs.driver-memory",
                "await default consuming 20",
                "push default fail 2 id=after-update",
                "launcher:await default processed=1 20",
                "push default log later delay=1 id=delayed-after-update",
                "launcher:await default processed=2 20",
                "await reports paused 20");
        try (Run run = dist.start("--script", script.toString())) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("declared reports"));
            assertTrue(out, out.contains("pipeline default processed=1: default (memory, consuming)"));
            String log = run.log();
            // the retry needs the new driver's timer: the job ran twice, through the driver that came back
            assertTrue(log, log.contains("job fail id=after-update: attempt 2 succeeds"));
            assertTrue(log, log.contains("job log id=delayed-after-update "));
            assertFalse(log, log.contains("StackOverflowError"));
            assertFalse(log, log.contains("InvocationTargetException"));
        }
    }

    @Test
    public void aFailingInlineCommandIsReportedWithItsCause() throws Exception {
        try (Run run = dist.start("-c", "resume nosuchpipeline")) {
            assertEquals(run.outputs(), 1, run.awaitExit(EXIT));
            String log = run.log();
            assertTrue(log, log.contains("-c: 'resume nosuchpipeline' failed: unknown pipeline 'nosuchpipeline'"));
            assertFalse(log, log.contains("InvocationTargetException"));
        }
    }

    /** Gogo hands an Error of a command on inside a bare InvocationTargetException: the Error is what is reported. */
    @Test
    public void anErrorInAStatementIsReportedWithItsTypeAndMessage() throws Exception {
        try (Run run = dist.start("-c", "throw (new java.lang.AssertionError boom)", "-c", "jobs:list")) {
            assertEquals(run.outputs(), 1, run.awaitExit(EXIT));
            String log = run.log();
            assertTrue(log, log.contains("failed: java.lang.AssertionError: boom"));
            assertFalse(log, log.contains("InvocationTargetException"));
            assertFalse(run.stdout(), run.stdout().contains("> jobs:list"));
        }
    }

    @Test
    public void inlineCommandsRunInOrder() throws Exception {
        try (Run run = dist.start("-c", "jobs:list", "-c", "jobs:pause default", "-c", "launcher:await default "
                + "paused 30")) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("> jobs:list\ndefault\ndurable\nfailed\n> jobs:pause default\npaused default\n"
                    + "> launcher:await default paused 30\npipeline default paused: default (memory, paused)"));
        }
    }

    @Test
    public void aBadArgumentIsAUsageError() throws Exception {
        try (Run run = dist.start("--frobnicate")) {
            assertEquals(run.outputs(), 2, run.awaitExit(EXIT));
            assertTrue(run.outputs(), run.outputs().contains("unknown argument '--frobnicate'"));
            // no start, so no archive worth keeping: the next start makes a new one
            assertFalse(Files.exists(dist.home().resolve("data/jobs.jsa.ready")));
        }
    }
}
