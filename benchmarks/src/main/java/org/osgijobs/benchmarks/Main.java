package org.osgijobs.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmarks: all scenarios or the named ones, prints a table on standard output and writes the same rows
 * to {@code target/results.json}. The progress line and messages go to standard error; the framework's log goes to
 * {@code target/bench.log}. See {@link CommandLine#USAGE}.
 */
public final class Main {
    private static final OperatingSystemMXBean LOAD = ManagementFactory.getOperatingSystemMXBean();

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path target = targetDir();
        configureLogging(target);
        CommandLine command;
        try {
            command = CommandLine.parse(args, target);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        switch (command.action()) {
        case HELP -> System.out.println(CommandLine.USAGE);
        case LIST -> command.scenarios().forEach(s -> System.out.printf("%-18s %s%n", s.name(), s.summary()));
        case RUN -> System.exit(run(command.settings(), command.scenarios()));
        }
    }

    /** @return the exit status: 0, or 1 when a scenario could not be run (a missed target is not an error) */
    private static int run(BenchSettings settings, List<Scenario> selected) throws IOException {
        List<Result> results = new ArrayList<>();
        int failures = 0;
        System.err.printf("%d scenario(s), %d warm-up + %d measured rounds per side, scale %s; %d CPUs, max heap"
                + " %,d MB; framework log: %s%n", selected.size(), settings.warmups(), settings.rounds(),
                settings.scale(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, settings.logFile());
        try (Progress progress = new Progress(System.err, System.console() != null)) {
            for (int i = 0; i < selected.size(); i++) {
                Scenario scenario = selected.get(i);
                progress.scenario(scenario.name(), i + 1, selected.size());
                long start = System.nanoTime();
                double loadBefore = LOAD.getSystemLoadAverage();
                Result result;
                try {
                    result = scenario.run(settings, progress);
                } catch (Exception | Error e) {
                    result = Result.failed(scenario.name(), e.toString());
                }
                // the machine may be shared: the load average tells how far to trust the figures
                result = result.withNote(String.format(Locale.ROOT, "load average (1 min) %.2f before, %.2f after",
                        loadBefore, LOAD.getSystemLoadAverage()));
                if ("failed".equals(result.status())) {
                    failures++;
                }
                results.add(result);
                Report.writeJson(results, settings.resultsFile());
                progress.line(String.format("%s: %s in %.0f s", scenario.name(), result.status(),
                        (System.nanoTime() - start) / 1e9));
                if (!"ok".equals(result.status())) {
                    progress.line("*** " + scenario.name() + " " + result.status().toUpperCase() + ": "
                            + result.notes());
                }
            }
        }
        System.out.print(Report.table(results));
        System.err.println("results written to " + settings.resultsFile());
        return failures == 0 ? 0 : 1;
    }

    /** The module's target folder: where the runner's jar is (or its classes, when run from an IDE). */
    private static Path targetDir() throws URISyntaxException {
        Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return location.getParent().toAbsolutePath();
    }

    /** One slf4j-simple setup for the runner and the bundles, into a file so the console keeps the progress line. */
    private static void configureLogging(Path target) throws IOException {
        Files.createDirectories(target);
        System.setProperty("org.slf4j.simpleLogger.logFile",
                System.getProperty("org.slf4j.simpleLogger.logFile", target.resolve("bench.log").toString()));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
