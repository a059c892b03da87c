package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.launcher.it.PipelineFileFuzzer.FuzzFile;

/**
 * Drops generated pipeline files (seeded: {@code -Dfuzz.seed=N} replays a run) into a running distribution while
 * a canary pipeline works: the runtime keeps serving, every file gets a {@code stat} row (an invalid one with an
 * error naming its key), unknown keys are warned of, no ERROR carries a stack trace, the threads come back to
 * their number before the drop, and deleting the files, while running or while stopped, removes every pipeline.
 */
public class PipelineFilesFuzzIT {
    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int FILES = 120;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ .*");
    /** A canary job: the sleep handler waits this many milliseconds; enough of them to outlast the drop. */
    private static final int CANARY_JOBS = 400;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test(timeout = 240_000)
    public void generatedPipelineFilesAreEachShownAndTheirDeletionRemovesThem() throws Exception {
        long began = System.nanoTime();
        List<FuzzFile> files = new PipelineFileFuzzer(SEED).files(FILES);
        String seed = "(seed " + SEED + ", replay with -Dfuzz.seed=" + SEED + ")";
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Files.writeString(dist.conf("jobs.pipeline-canary.cfg"), "driver=memory\n");
        Path script = dist.script("fuzz.gosh",
                "launcher:await canary consuming 60",
                "launcher:await baseline present 60",
                "push canary sleep 5 count=" + CANARY_JOBS,
                "launcher:await dropped present 90",
                "launcher:await canary processed=" + CANARY_JOBS + " 60",
                "push canary log after-the-drop count=20",
                "launcher:await canary processed=" + (CANARY_JOBS + 20) + " 60",
                "stat",
                "launcher:await deleted present 90",
                "stat");
        Map<FuzzFile, Path> written = new HashMap<>();
        List<FuzzFile> kept = new ArrayList<>();
        try (Run run = dist.start("--script", script.toString())) {
            run.awaitStdout("> launcher:await baseline present", 1, STEP);
            int baseline = quietThreads(run);
            Files.writeString(dist.conf("jobs.pipeline-baseline.cfg"), "driver=memory\n");

            run.awaitStdout("> launcher:await dropped present", 1, STEP);
            for (FuzzFile file : files) {
                Path path = dist.conf(file.fileName());
                Files.write(path, file.bytes());
                written.put(file, path);
            }
            int expected = (int) files.stream().filter(f -> !f.refused()).count();
            run.awaitLog("created from configuration (", expected + 5, STEP); // + default, durable, failed, canary, baseline
            Files.writeString(dist.conf("jobs.pipeline-dropped.cfg"), "driver=memory\n");

            run.awaitStdout("> launcher:await deleted present", 1, STEP);
            String out = run.stdout();
            String table = out.substring(out.indexOf("> stat\n"), out.indexOf("> launcher:await deleted present"));
            checkRows(table, files, seed);
            checkWarnings(run.log(), files, seed);

            int deletedRows = 0;
            for (int i = 0; i < files.size(); i++) {
                FuzzFile file = files.get(i);
                if (i % 2 == 0) {
                    Files.delete(written.get(file));
                    deletedRows += file.refused() ? 0 : 1;
                } else {
                    kept.add(file);
                }
            }
            run.awaitLog("configuration deleted", deletedRows, STEP);
            awaitThreadsAtMost(run, baseline, seed);
            Files.writeString(dist.conf("jobs.pipeline-deleted.cfg"), "driver=memory\n");

            assertEquals(run.outputs(), 0, run.awaitExit(STEP));
            out = run.stdout();
            String after = out.substring(out.lastIndexOf("> stat\n"));
            for (int i = 0; i < files.size(); i += 2) {
                assertTrue("deleted while running, still there: " + files.get(i) + " " + seed + "\n" + after,
                        row(after, files.get(i).pipeline()) == null);
            }
            checkNoTraceAfterAnError(run.log(), seed);
        }

        for (FuzzFile file : kept) {
            Files.delete(written.get(file));
        }
        try (Run again = dist.start("-c", "launcher:await canary consuming 60", "-c", "stat")) {
            assertEquals(again.outputs(), 0, again.awaitExit(STEP));
            String after = again.stdout();
            for (FuzzFile file : files) {
                assertTrue("deleted, still there: " + file + " " + seed + "\n" + after,
                        row(after, file.pipeline()) == null);
            }
            long removed = kept.stream().filter(f -> !f.refused()).count();
            assertEquals("one line per configuration removed at start " + seed + "\n" + again.log(), removed,
                    Run.count(again.log(), "was deleted while the runtime was stopped"));
            checkNoTraceAfterAnError(again.log(), seed);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
        System.out.println("PipelineFilesFuzzIT: " + FILES + " files " + seed + " in " + seconds + " s; invalid "
                + files.stream().filter(f -> !f.valid() && !f.refused()).count() + ", refused "
                + files.stream().filter(FuzzFile::refused).count() + ", with unknown keys "
                + files.stream().filter(f -> !f.unknownKeys().isEmpty()).count());
        assertTrue("the fuzz run must stay under 90 s: took " + seconds + " s", seconds < 90);
    }

    /** Every file that ConfigAdmin took has a row; an invalid one's error names one of its bad keys. */
    private static void checkRows(String table, List<FuzzFile> files, String seed) {
        for (FuzzFile file : files) {
            String error = row(table, file.pipeline());
            if (file.refused()) {
                assertTrue("refused by ConfigAdmin, yet a row: " + file + " " + seed, error == null);
                continue;
            }
            assertTrue("no stat row for " + file + " " + seed + "\n" + table, error != null);
            if (!file.valid()) {
                assertTrue("the error of " + file + " names none of " + file.invalidKeys() + ": '" + error + "' "
                        + seed, file.invalidKeys().stream().anyMatch(k -> error.contains("'" + k + "'")));
            } else if ("memory".equals(file.driver())) {
                assertEquals("a valid memory pipeline works: " + file + " " + seed, "", error);
            } else {
                assertTrue("a valid pipeline of an absent driver says so: " + file + ": '" + error + "' " + seed,
                        error.contains("driver " + file.driver()));
            }
        }
    }

    /** Unknown keys of memory pipelines are warned of, by pipeline; a file without any gives no warning. */
    private static void checkWarnings(String log, List<FuzzFile> files, String seed) {
        for (FuzzFile file : files) {
            if (file.refused() || !"memory".equals(file.driver())) {
                continue;
            }
            String prefix = "WARN JobsRuntime - pipeline '" + file.pipeline() + "' (file ";
            String warning = log.lines().filter(l -> l.contains(prefix) && l.contains("unknown key")).findFirst()
                    .orElse(null);
            if (!file.unknownKeys().isEmpty()) {
                assertTrue("no warning of " + file.unknownKeys() + " for " + file + " " + seed, warning != null);
                for (String key : file.unknownKeys()) {
                    assertTrue(warning + " should name '" + key + "' " + seed, warning.contains("'" + key + "'"));
                }
            } else if (file.encoding() != PipelineFileFuzzer.Encoding.BOM) {
                assertTrue("a warning without an unknown key: " + warning + " " + seed, warning == null);
            }
        }
    }

    /** @return the ERROR column of a pipeline's row in a stat table, or {@code null} when it has none */
    private static String row(String table, String pipeline) {
        List<String> lines = table.lines().toList();
        int errorColumn = -1;
        for (String line : lines) {
            if (line.startsWith("PIPELINE ")) {
                errorColumn = line.indexOf("ERROR");
            } else if (errorColumn >= 0 && line.startsWith(pipeline + " ")) {
                return line.length() > errorColumn ? line.substring(errorColumn).trim() : "";
            }
        }
        return null;
    }

    private static void checkNoTraceAfterAnError(String log, String seed) {
        List<String> lines = log.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String next = lines.get(i + 1);
            if (lines.get(i).matches("^\\S+ ERROR .*") && !next.isBlank() && !LOG_LINE.matcher(next).matches()) {
                fail("an ERROR with a stack trace " + seed + ":\n" + lines.get(i) + "\n" + next);
            }
        }
    }

    /**
     * @return the fewest threads seen over a little more than the runtime's idle time for pool threads (5 s): the
     *         number a quiet runtime has
     */
    private static int quietThreads(Run run) throws Exception {
        int fewest = Integer.MAX_VALUE;
        long until = System.nanoTime() + Duration.ofMillis(6_500).toNanos();
        while (System.nanoTime() - until < 0) {
            fewest = Math.min(fewest, runtimeThreads(run).size());
            Thread.sleep(100); // sampling, not synchronisation
        }
        return fewest;
    }

    private static void awaitThreadsAtMost(Run run, int baseline, String seed) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> now;
        while ((now = runtimeThreads(run)).size() > baseline) {
            if (System.nanoTime() - deadline > 0) {
                fail("threads did not come back to " + baseline + " within 30 s: " + now.size() + " " + now + " "
                        + seed);
            }
            Thread.sleep(100); // sampling, not synchronisation
        }
    }

    /**
     * @return the threads to count: those of the JVM's application ({@link Run#applicationThreads}) without the
     *         pools of the platform that grow with use up to a fixed bound and keep their threads (EventAdmin's
     *         asynchronous delivery, 20 at most) or keep them for a minute (Gogo's threads of the script's session)
     */
    private static List<String> runtimeThreads(Run run) throws Exception {
        List<String> threads = new ArrayList<>(run.applicationThreads());
        threads.removeIf(name -> name.startsWith("EventAdminAsync") || name.startsWith("session-")
                || name.startsWith("pipe-"));
        return threads;
    }
}
