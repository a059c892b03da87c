package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Gogo's {@code help <command>} shows a jobs command's usage with its options, not bare parameter types. */
public class CommandHelpIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void helpPushShowsTheUsageWithItsOptions() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (Run run = dist.start("-c", "help push", "-c", "help declare")) {
            assertEquals(run.outputs(), 0, run.awaitExit(Duration.ofSeconds(90)));
            String out = run.stdout();
            assertTrue(out, out.contains("push - pushes a job (an empty payload when none is given); usage: push <pipeline> "
                    + "<name> [payload] [priority=N] [delay=seconds]"));
            assertTrue(out, out.contains("delay=seconds (0 to 2147483647)"));
            assertTrue(out, out.contains("auto_ack=true|false"));
            assertTrue(out, out.contains("h.<header>=value (repeatable)"));
            assertTrue(out, out.contains("the job's name: the handler that takes it"));
            assertTrue(out, out.contains("declare - declares a pipeline"));
        }
    }
}
