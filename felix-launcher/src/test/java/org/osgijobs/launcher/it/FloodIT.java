package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bounded memory at the distribution's defaults (its -Xmx512m heap, max_jobs, pipeline_size): a producer that
 * pushes five million jobs as fast as it can into a paused pipeline gets a clear "full" error naming the pipeline
 * and its bound once the pipeline's timeout has passed, and the runtime goes on serving its other pipelines.
 */
public class FloodIT {
    private static final Duration EXIT = Duration.ofSeconds(120);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void fiveMillionPushesIntoAPausedPipelineEndInAFullErrorAndTheRuntimeKeepsServing() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        // the defaults but the timeout, so that the refused pushes wait 5 s rather than 60
        Files.writeString(dist.conf("jobs.cfg"), "timeout=5\n");
        Path script = dist.script("flood.gosh",
                "declare name=flood driver=memory",
                "try { push flood log x count=5000000 } { echo \"flood refused:\" ($exception message) }",
                "push default log still-serving id=after-flood",
                "launcher:await default processed=1 30",
                "stat flood",
                "stats flood");

        try (Run run = dist.start("--script", script.toString())) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String out = run.stdout();
            assertTrue(out, out.contains("flood refused: pushed 100000 of 5000000 jobs to 'flood', then: "
                    + "pipeline 'flood': full: 100000 jobs wait in it (max_jobs=100000)"));
            assertTrue(out, out.matches("(?s).*\\nflood +memory +flood +100000 +0 +0 +false +10\\b.*"));
            assertTrue(out, out.matches("(?s).*pipeline flood: pushed=100000 push_errors=[1-9]\\d* .*"));
            String log = run.log();
            assertTrue("the default pipeline kept serving\n" + log, log.contains("id=after-flood pipeline=default"));
            assertFalse(log, log.contains("OutOfMemoryError"));
            assertEquals("the distribution's default heap is in force", null, System.getenv("JAVA_OPTS"));
            assertTrue(Files.readString(dist.home().resolve("bin/jobs")).contains("-Xms64m -Xmx512m"));
        }
    }
}
