package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Pipeline files in conf/ are read as UTF-8: a name with an accent keeps it. */
public class Utf8ConfigurationIT {
    private static final Duration EXIT = Duration.ofSeconds(90);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aPipelineNamedInUtf8KeepsItsName() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Files.writeString(dist.conf("jobs.pipeline-intl.cfg"), "name=h1-caf\u00e9\ndriver=memory\n",
                StandardCharsets.UTF_8);
        // a script (read as UTF-8) rather than -c, whose bytes would depend on the platform's locale
        Path script = dist.script("utf8.gosh", "launcher:await h1-caf\u00e9 present 30",
                "push h1-caf\u00e9 log accented");
        try (Run run = dist.start("--script", script.toString())) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            String log = run.log();
            assertTrue(log, log.contains("pipeline 'h1-caf\u00e9' created from configuration"));
            assertTrue(log, log.contains("pipeline=h1-caf\u00e9 "));
            assertFalse("read as ISO-8859-1\n" + log, log.contains("caf\u00c3\u00a9"));
        }
    }
}
