package org.osgijobs.launcher.it;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private copy of the built distribution (target/osgi-jobs), so that each test has its own conf/, deploy/,
 * data/ and log/, started as a separate process through its bin/jobs script.
 */
final class Distribution {
    private final Path home;

    private Distribution(Path home) {
        this.home = home;
    }

    /**
     * @return a folder under the module's target/ (beside the built distribution) for tests that keep their copies
     *         there, created if needed; the system's temporary folder when the build did not say where it is
     */
    static File runsFolder() {
        String built = System.getProperty("distribution.dir");
        if (built == null) {
            return new File(System.getProperty("java.io.tmpdir"));
        }
        File runs = Path.of(built).resolveSibling("it-runs").toFile();
        runs.mkdirs();
        return runs;
    }

    /** Copies the distribution that the build assembled into {@code target}. */
    static Distribution copyTo(Path target) throws IOException {
        String built = System.getProperty("distribution.dir");
        assertTrue("system property distribution.dir must name the built distribution", built != null);
        Path source = Path.of(built);
        assertTrue("no distribution at " + source + ": run 'mvn verify' (it is assembled in package)",
                Files.isExecutable(source.resolve("bin/jobs")));
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
        // the HTTP API on any free port: copies run side by side (scale-out tests, other builds) and 8080 may be taken
        Path system = target.resolve("conf/system.properties");
        Files.writeString(system, Files.readString(system).replace("jobs.http.port=8080", "jobs.http.port=0"));
        // a distribution someone started in target/ may hold state: this copy starts fresh
        deleteTree(target.resolve("data"));
        deleteTree(target.resolve("log"));
        Files.deleteIfExists(target.resolve("conf/jobs.http.cfg")); // written by a first start, not shipped
        try (Stream<Path> deployed = Files.list(target.resolve("deploy"))) {
            for (Path jar : (Iterable<Path>) deployed.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                Files.delete(jar);
            }
        }
        return new Distribution(target);
    }

    Path home() {
        return home;
    }

    Path conf(String file) {
        return home.resolve("conf").resolve(file);
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    /** @return the jar of {@code opt/} whose name starts with the prefix */
    Path optional(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("opt"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + home.resolve("opt")));
        }
    }

    /** Copies the jar of {@code opt/} whose name starts with the prefix into {@code deploy/}. */
    void deployOptional(String prefix) throws IOException {
        Path jar = optional(prefix);
        Files.copy(jar, deploy().resolve(jar.getFileName()));
    }

    /** Writes a command script into the distribution and returns its path. */
    Path script(String name, String... lines) throws IOException {
        Path script = home.resolve(name);
        Files.writeString(script, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return script;
    }

    /** Starts {@code bin/jobs} with the arguments, without a terminal. */
    Run start(String... args) throws IOException {
        return Run.start(command(args), home);
    }

    /** Starts {@code bin/jobs} with the arguments and {@code JAVA_OPTS} (the JVM's options, e.g. a small heap). */
    Run startWithJavaOpts(String javaOpts, String... args) throws IOException {
        return Run.start(command(args), home, java.util.Map.of("JAVA_OPTS", javaOpts));
    }

    /** Starts {@code bin/jobs} with the arguments on a terminal of its own (see {@link Run#startInTerminal}). */
    Run startInTerminal(String... args) throws IOException {
        return Run.startInTerminal(command(args), home);
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/jobs").toString());
        command.addAll(List.of(args));
        return command;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            files.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.delete(all.get(i));
            }
        }
    }
}
