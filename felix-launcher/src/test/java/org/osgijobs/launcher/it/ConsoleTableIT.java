package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * In the console, log lines written while a command prints its result wait until it is printed: a {@code stat}
 * table of many pipelines (written in several pieces) is not cut by the log lines of thousands of jobs running.
 */
public class ConsoleTableIT {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final int PIPELINES = 150;
    private static final Pattern LOG_LINE = Pattern.compile(".*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR) .*");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void logLinesDoNotSplitAStatTable() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        for (int i = 0; i < PIPELINES; i++) {
            Files.writeString(dist.conf("jobs.pipeline-a-pipeline-with-a-longer-name-" + i + ".cfg"),
                    "driver=memory\n");
        }
        try (Run run = dist.startInTerminal()) {
            run.awaitLog("OSGi Jobs ready in ", 1, STEP);
            // thousands of jobs log a line each while the table is printed
            run.type("push default log x count=20000\r");
            run.type("stat\r");
            run.awaitLog("LogJobHandler", 20000, STEP);
            run.type("shutdown\r");
            assertEquals(0, run.awaitExit(STEP));
            List<String> lines = run.stdout().replace("\r", "").lines().toList();
            int header = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("PIPELINE") && lines.get(i).contains("PRIORITY")) {
                    header = i;
                }
            }
            assertTrue("no stat table", header >= 0);
            int last = header;
            int rows = 0;
            for (int i = header + 1; i < lines.size(); i++) {
                if (lines.get(i).contains("a-pipeline-with-a-longer-name-")) {
                    last = i;
                    rows++;
                }
            }
            assertEquals("every pipeline has a row", PIPELINES, rows);
            for (int i = header + 1; i <= last; i++) {
                assertTrue("a log line cut the table after " + (i - header - 1) + " lines:\n" + lines.get(i),
                        !LOG_LINE.matcher(lines.get(i)).matches());
            }
        }
    }
}
