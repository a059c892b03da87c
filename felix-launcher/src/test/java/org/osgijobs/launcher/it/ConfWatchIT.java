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
 * conf/ is watched: a pipeline file added while the runtime runs makes a pipeline, editing it reconfigures the
 * pipeline, removing it destroys the pipeline.
 */
public class ConfWatchIT {
    private static final Duration STEP = Duration.ofSeconds(60);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aNewPipelineFileMakesAPipelineEditingChangesItRemovingItDestroysIt() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Path script = dist.script("watch.gosh",
                "launcher:await extra present 60",
                "jobs:stat extra",
                "jobs:push extra log \"on the new pipeline\"",
                "launcher:await extra processed=1 60",
                "launcher:await extra priority=7 60",
                "jobs:stat extra",
                "launcher:await extra absent 60",
                "jobs:list");
        Path file = dist.conf("jobs.pipeline-extra.cfg");
        try (Run run = dist.start("--script", script.toString())) {
            run.awaitStdout("> launcher:await extra present", 1, STEP);
            Files.writeString(file, "driver=memory\npriority=4\n");

            run.awaitStdout("> launcher:await extra priority=7", 1, STEP);
            Files.writeString(file, "driver=memory\npriority=7\n");

            run.awaitStdout("> launcher:await extra absent", 1, STEP);
            Files.delete(file);

            assertEquals(run.outputs(), 0, run.awaitExit(STEP));
            String out = run.stdout();
            assertTrue(out, out.matches("(?s).*\nextra +memory +extra +\\d+ +\\d+ +\\d+ +true +4\n.*"));
            assertTrue(out, out.contains("pipeline extra processed=1"));
            assertTrue(out, out.matches("(?s).*\nextra +memory +extra +\\d+ +\\d+ +\\d+ +true +7\n.*"));
            String afterRemoval = out.substring(out.lastIndexOf("> jobs:list"));
            assertTrue(afterRemoval, afterRemoval.contains("default"));
            assertFalse(afterRemoval, afterRemoval.contains("extra"));
            assertTrue(run.log(), run.log().contains("payload='on the new pipeline'"));
        }
    }
}
