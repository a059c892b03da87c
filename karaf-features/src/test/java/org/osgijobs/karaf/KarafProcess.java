package org.osgijobs.karaf;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Apache Karaf, unpacked by the build, copied into a folder of its own and started as a process
 * ({@code bin/karaf server}), the way a user runs it. Prepared for the test:
 * <ul>
 * <li>a user {@code karaf}/{@code karaf} in the admin group (the distribution ships none), ssh and JMX on free
 * ports of 127.0.0.1;</li>
 * <li>offline: no remote Maven repository, an empty local one; every {@code mvn:} URL comes from Karaf's
 * {@code system/} folder or from the repository the build made of this project's bundles and the scr feature's;</li>
 * <li>no EventAdmin: neither the {@code eventadmin} boot feature nor Karaf's own EventAdmin startup bundle, so
 * the runtime is shown to install and run without it.</li>
 * </ul>
 */
final class KarafProcess {
    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private final Path home;
    private final int sshPort;
    private Process process;

    private KarafProcess(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * @param distribution the unpacked Karaf
     * @param repository   a Maven repository folder with the project's bundles and features
     * @param where        the new Karaf home (deleted first)
     */
    static KarafProcess prepare(Path distribution, Path repository, Path where) throws IOException {
        deleteTree(where);
        copyTree(distribution, where);
        int ssh = freePort();
        Path etc = where.resolve("etc");
        append(etc.resolve("users.properties"), "\nkaraf = karaf,_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        replaceLine(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + ssh);
        replaceLine(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "sshHost = 127.0.0.1");
        replaceLine(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort",
                "rmiRegistryPort = " + freePort());
        replaceLine(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort",
                "rmiServerPort = " + freePort());
        Path emptyLocal = Files.createDirectories(where.resolve("no-local-repository"));
        append(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "\n# the test: offline, this build's bundles\n"
                + "org.ops4j.pax.url.mvn.repositories=\n"
                + "org.ops4j.pax.url.mvn.localRepository=" + emptyLocal.toUri() + "\n"
                + "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}"
                + "@id=system.repository@snapshots, " + repository.toUri() + "@id=osgijobs.build@snapshots\n");
        removeLines(etc.resolve("org.apache.karaf.features.cfg"), "eventadmin/");
        removeLines(etc.resolve("startup.properties"), "org.apache.karaf.services.eventadmin");
        return new KarafProcess(where, ssh);
    }

    Path home() {
        return home;
    }

    int sshPort() {
        return sshPort;
    }

    Path etc(String file) {
        return home.resolve("etc").resolve(file);
    }

    /** Starts {@code bin/karaf server}; its console output goes to {@code console.log} in its home. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_MAX_MEM", "512M");
        builder.environment().remove("KARAF_DEBUG");
        process = builder.start();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits for the process to end. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the process at once (the test's clean-up). */
    void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** @return Karaf's log ({@code data/log/karaf.log}), empty before it exists */
    String log() {
        Path log = home.resolve("data/log/karaf.log");
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every file of Karaf's log, rolled ones ({@code karaf.log.1}, ...) included, in no set order */
    String logs() {
        try (Stream<Path> files = Files.list(home.resolve("data/log"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("karaf.log"))
                    .sorted()::iterator) {
                all.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the last lines of the console output and the log, for a failure message */
    String diagnostics() {
        try {
            Path console = home.resolve("console.log");
            String out = Files.isRegularFile(console) ? tail(Files.readString(console), 40) : "";
            return "console:\n" + out + "\nkaraf.log:\n" + tail(log(), 60);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().collect(Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + text);
    }

    private static void replaceLine(Path file, String key, String line) throws IOException {
        List<String> lines = Files.readAllLines(file).stream()
                .map(l -> l.trim().startsWith(key + " ") || l.trim().startsWith(key + "=") ? line : l)
                .collect(Collectors.toList());
        Files.write(file, lines);
    }

    private static void removeLines(Path file, String containing) throws IOException {
        List<String> before = Files.readAllLines(file);
        List<String> after = before.stream().filter(l -> !l.contains(containing)).collect(Collectors.toList());
        if (after.size() == before.size()) {
            throw new IllegalStateException(file + " has no line with '" + containing + "' (another Karaf version?)");
        }
        Files.write(file, after);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
    }
}
