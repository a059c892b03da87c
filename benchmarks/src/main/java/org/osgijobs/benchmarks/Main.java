package org.osgijobs.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks: all scenarios or the named ones, prints a table on standard output and writes the same rows
 * to {@code target/results.json}. The progress line and messages go to standard error; the framework's log goes to
 * {@code target/bench.log}.
 * <p>
 * Usage: {@code java -jar benchmarks/target/benchmarks.jar [--rounds=N] [--warmup=N] [--scale=F] [--amqp=URI]
 * [--list] [scenario...]}
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar benchmarks/target/benchmarks.jar [options] [scenario...]
              --rounds=N   measured rounds per side, the median is reported (default 5)
              --warmup=N   warm-up rounds per side (default 2)
              --scale=F    multiply every scenario's job count by F, e.g. 0.1 for a quick check (default 1)
              --amqp=URI   broker of the amqp scenario, as the driver's addr: a trailing / is the vhost /
                           (default amqp://guest:guest@127.0.0.1:5672/)
              --list       list the scenarios and exit
            without scenario names, all scenarios run in the order of --list""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path target = targetDir();
        configureLogging(target);
        BenchSettings settings;
        List<Scenario> selected;
        try {
            Map<String, String> options = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String arg : args) {
                if (arg.startsWith("--")) {
                    int eq = arg.indexOf('=');
                    options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
                } else {
                    names.add(arg);
                }
            }
            if (options.containsKey("help")) {
                System.out.println(USAGE);
                return;
            }
            if (options.containsKey("list")) {
                Scenarios.all().forEach(s -> System.out.printf("%-18s %s%n", s.name(), s.summary()));
                return;
            }
            settings = new BenchSettings(intOption(options, "rounds", 5, 1), intOption(options, "warmup", 2, 0),
                    scale(options.getOrDefault("scale", "1")), target,
                    options.getOrDefault("amqp", "amqp://guest:guest@127.0.0.1:5672/"));
            options.keySet().removeAll(List.of("rounds", "warmup", "scale", "amqp"));
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
            }
            selected = Scenarios.select(names);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(settings, selected));
    }

    private static int run(BenchSettings settings, List<Scenario> selected) throws Exception {
        List<Result> results = new ArrayList<>();
        int failures = 0;
        System.err.printf("%d scenario(s), %d warm-up + %d measured rounds per side, scale %s; %d CPUs, max heap"
                + " %,d MB; framework log: %s%n", selected.size(), settings.warmups(), settings.rounds(),
                settings.scale(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, settings.logFile());
        try (Progress progress = new Progress(System.err)) {
            for (int i = 0; i < selected.size(); i++) {
                Scenario scenario = selected.get(i);
                progress.scenario(scenario.name(), i + 1, selected.size());
                long start = System.nanoTime();
                Result result;
                try {
                    result = scenario.run(settings, progress);
                } catch (Exception | Error e) {
                    result = Result.failed(scenario.name(), e.toString());
                }
                if ("failed".equals(result.status())) {
                    failures++;
                }
                results.add(result);
                Report.writeJson(results, settings.resultsFile());
                progress.line(String.format("%s: %s in %.0f s", scenario.name(), result.status(),
                        (System.nanoTime() - start) / 1e9));
                if ("skipped".equals(result.status())) {
                    progress.line("*** " + scenario.name() + " SKIPPED: " + result.notes());
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
    private static void configureLogging(Path target) throws java.io.IOException {
        Files.createDirectories(target);
        System.setProperty("org.slf4j.simpleLogger.logFile",
                System.getProperty("org.slf4j.simpleLogger.logFile", target.resolve("bench.log").toString()));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    private static int intOption(Map<String, String> options, String key, int defaultValue, int min) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min) {
                throw new IllegalArgumentException("--" + key + " must be at least " + min + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + raw + "'");
        }
    }

    private static double scale(String raw) {
        try {
            double value = Double.parseDouble(raw);
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("--scale must be above 0, got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale must be a number, got '" + raw + "'");
        }
    }
}
