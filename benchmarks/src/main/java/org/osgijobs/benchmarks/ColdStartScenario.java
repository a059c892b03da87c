package org.osgijobs.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cold start of the Felix distribution: from {@code bin/jobs} launching the JVM to "default pipeline consuming", as
 * the launcher's "OSGi Jobs ready in N ms since launch" line reports it, for a copy of the distribution the build
 * assembled ({@code felix-launcher/target/osgi-jobs}; {@code ./bench.sh cold-start} builds it). One row per kind of
 * start: the first (empty {@code data/}: no framework cache, no class data sharing archive), a later one without
 * the archive ({@code JOBS_CDS=false}) and a later one with it. Each start runs {@code jobs:list} and stops.
 * The targets are absolute (the issue's): under 1 s without the archive, under 0.7 s with it. The jobs/s column is
 * starts per second (1000 / median ms); {@code ready_ms} and its range are in the notes and the JSON.
 */
final class ColdStartScenario implements Scenario {
    private static final Pattern READY = Pattern.compile("OSGi Jobs ready in (\\d+) ms since launch");

    /** The kinds of start measured. */
    enum Kind {
        FIRST("cold-start-first", "", null), LATER("cold-start-later", "< 1000 ms", 1000.0),
        LATER_CDS("cold-start-cds", "< 700 ms", 700.0);

        final String row;
        final String target;
        final Double limitMs;

        Kind(String row, String target, Double limitMs) {
            this.row = row;
            this.target = target;
            this.limitMs = limitMs;
        }
    }

    private final Kind kind;

    ColdStartScenario(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.row;
    }

    @Override
    public String summary() {
        return switch (kind) {
        case FIRST -> "distribution start with an empty data/ to default pipeline consuming";
        case LATER -> "a later start without the class data sharing archive (JOBS_CDS=false)";
        case LATER_CDS -> "a later start with the class data sharing archive the first start wrote";
        };
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        Path built = Path.of(System.getProperty("bench.distribution", "felix-launcher/target/osgi-jobs"));
        if (!Files.isExecutable(built.resolve("bin/jobs"))) {
            return Result.skipped(name(), "no distribution in " + built.toAbsolutePath()
                    + ": build it first (./run.sh --build -c list, or ./bench.sh builds it)");
        }
        Path home = settings.targetDir().resolve("cold-start").resolve(name());
        copy(built, home);
        List<Long> millis = new ArrayList<>();
        if (kind != Kind.FIRST) {
            progress.phase("a first start, which writes data/ and the class data sharing archive");
            deleteTree(home.resolve("data"));
            start(home, kind == Kind.LATER_CDS);
        }
        int starts = settings.warmups() + settings.rounds();
        for (int i = 0; i < starts; i++) {
            progress.phase("start " + (i + 1) + " of " + starts);
            if (kind == Kind.FIRST) {
                deleteTree(home.resolve("data"));
            }
            long ms = start(home, kind == Kind.LATER_CDS);
            if (i >= settings.warmups()) {
                millis.add(ms);
            }
        }
        millis.sort(Comparator.naturalOrder());
        double median = millis.get(millis.size() / 2);
        Measurement product = new Measurement(1000.0 / median, null, null, null);
        Boolean met = kind.limitMs == null ? null : median < kind.limitMs;
        String notes = String.format("ready in %.0f ms (median of %d starts, %d-%d ms; jobs/s is starts/s)",
                median, millis.size(), millis.get(0), millis.get(millis.size() - 1));
        return Result.measured(name(), product, null, kind.target, met, notes)
                .withExtra("ready_ms", median).withExtra("ready_ms_min", millis.get(0))
                .withExtra("ready_ms_max", millis.get(millis.size() - 1));
    }

    /** @return the launcher's "ready in" figure of one start of {@code bin/jobs -c jobs:list} */
    private static long start(Path home, boolean cds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/jobs").toString(), "-c", "jobs:list")
                .redirectErrorStream(true);
        builder.environment().put("JOBS_CDS", Boolean.toString(cds));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the distribution did not stop within 120 s");
        }
        Matcher ready = READY.matcher(output);
        if (!ready.find()) {
            throw new IOException("no 'ready in' line from the distribution:\n" + output);
        }
        return Long.parseLong(ready.group(1));
    }

    /** A fresh copy: no data/, no log/, the HTTP API on a free port, no token written by an earlier start. */
    private static void copy(Path source, Path target) throws IOException {
        deleteTree(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        deleteTree(target.resolve("data"));
        deleteTree(target.resolve("log"));
        Files.deleteIfExists(target.resolve("conf/jobs.http.cfg"));
        Path system = target.resolve("conf/system.properties");
        Files.writeString(system, Files.readString(system).replace("jobs.http.port=8080", "jobs.http.port=0"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
