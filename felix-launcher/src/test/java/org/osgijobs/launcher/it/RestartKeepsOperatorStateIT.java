package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What an operator declared and paused from the console survives a restart; destroy removes it for good. */
public class RestartKeepsOperatorStateIT {
    private static final Duration EXIT = Duration.ofSeconds(90);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aDeclaredPipelineAndAPauseComeBackAfterARestartAndDestroyIsForGood() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        String first = run(dist, "declare name=reports driver=memory priority=5", "resume reports",
                "declare name=drafts driver=memory", "pause default");
        assertTrue(first, first.contains("declared reports"));

        String second = run(dist, "launcher:await reports consuming 20", "launcher:await drafts paused 20",
                "launcher:await default paused 20", "stat", "destroy drafts", "resume default");
        assertTrue(second, row("reports", "true", "5").matcher(second).find());
        assertTrue(second, row("drafts", "false", "10").matcher(second).find());
        assertTrue(second, row("default", "false", "10").matcher(second).find());

        String third = run(dist, "launcher:await drafts absent 20", "launcher:await default consuming 20",
                "launcher:await reports consuming 20", "list");
        assertTrue(third, third.contains("reports"));
    }

    private static Pattern row(String pipeline, String ready, String priority) {
        return Pattern.compile("(?m)^" + pipeline + " +memory +" + pipeline + " +\\d+ +\\d+ +\\d+ +" + ready + " +"
                + priority + "\\b");
    }

    private static String run(Distribution dist, String... commands) throws Exception {
        String[] args = new String[commands.length * 2];
        for (int i = 0; i < commands.length; i++) {
            args[2 * i] = "-c";
            args[2 * i + 1] = commands[i];
        }
        try (Run run = dist.start(args)) {
            assertEquals(run.outputs(), 0, run.awaitExit(EXIT));
            return run.stdout();
        }
    }
}
