package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A pipeline that comes from a file lives as long as the file: destroy is refused (it would come back from the
 * file at the next start), and a file deleted while the runtime is stopped does not bring its pipeline back at
 * the next start (FileInstall left its configuration in ConfigAdmin's store).
 */
public class PipelineFileDeletedWhileStoppedIT {
    private static final Duration EXIT = Duration.ofSeconds(90);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void destroyIsRefusedAndAFileDeletedWhileStoppedTakesItsPipelineAlong() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Path file = dist.conf("jobs.pipeline-ghost.cfg");
        Files.writeString(file, "driver=memory\n");

        try (Run first = dist.start("-c", "launcher:await ghost consuming 20", "-c", "destroy ghost")) {
            assertEquals(first.outputs(), 1, first.awaitExit(EXIT));
            assertTrue(first.log(), first.log().matches("(?s).*pipeline 'ghost' comes from the file /\\S*/conf/"
                    + "jobs\\.pipeline-ghost\\.cfg: delete that file to destroy it.*"));
        }

        Files.delete(file);
        try (Run second = dist.start("-c", "launcher:await ghost absent 8", "-c", "stat")) {
            assertEquals(second.outputs(), 0, second.awaitExit(EXIT));
            String log = second.log();
            assertTrue(log, log.matches("(?s).*INFO StaleConfigurations - configuration jobs\\.pipeline~\\S+ removed: "
                    + "its file \\S+/conf/jobs\\.pipeline-ghost\\.cfg was deleted while the runtime was stopped\n.*"));
            assertEquals("built once, in the first run only:\n" + log, 1,
                    Run.count(log, "pipeline 'ghost' created from configuration"));
            assertTrue(second.stdout(), second.stdout().contains("default"));
        }
    }
}
