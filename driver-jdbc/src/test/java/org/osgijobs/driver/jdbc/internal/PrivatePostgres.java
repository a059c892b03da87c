package org.osgijobs.driver.jdbc.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Assume;

/**
 * A PostgreSQL cluster of the test's own: {@code initdb} into a temporary folder and {@code pg_ctl start} on a free
 * port, so that a test may stop and start it (the shared server on 5432 is used by others and must stay up). The
 * binaries are those of the machine's newest {@code /usr/lib/postgresql/<version>/bin} (or {@code PG_BIN}). PostgreSQL
 * refuses to run as root: as root, the commands run as the OS user {@code postgres} ({@code runuser}).
 * <p>
 * The cluster trusts local connections: user {@code postgres}, database {@code postgres}, no password.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final long COMMAND_SECONDS = 60;

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PrivatePostgres(Path bin, Path home, int port, boolean asPostgres) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /**
     * Creates and starts a cluster. When that is impossible (no binaries, no OS user to run them as), the test fails
     * under {@code CI=true} and is skipped loudly elsewhere.
     */
    static PrivatePostgres startOrSkip() throws InterruptedException {
        try {
            return start();
        } catch (IOException e) {
            String message = "cannot start a private PostgreSQL cluster: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the database restart test must run)", e);
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
            return null;
        }
    }

    static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory("jobs-jdbc-pg-");
        PrivatePostgres pg = new PrivatePostgres(bin, home, freePort(), root);
        try {
            if (root) {
                pg.run(List.of("chown", "postgres:", home.toString()), false);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"), root);
            pg.startServer();
            return pg;
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** @return the port the cluster listens on (127.0.0.1), the same across restarts */
    int port() {
        return port;
    }

    /** @return the JDBC URL of its database {@code postgres} with the schema first on the search path */
    String url(String schema) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?currentSchema=" + schema;
    }

    /** Starts the (stopped) cluster and waits until it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log")
                .toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1"
                        + " -c max_connections=50", "start"), asPostgres);
    }

    /**
     * Stops the cluster: {@code fast} (sessions are ended, their transactions rolled back, a checkpoint written: a
     * restart) or {@code immediate} (every process killed at once, recovery from the WAL at the next start: a crash).
     */
    void stopServer(String mode) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"),
                asPostgres);
    }

    /** @return the server's log, for a failure's message */
    String log() {
        try {
            return Files.readString(home.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                stopServer("immediate");
            } catch (IOException e) {
                System.err.println("private PostgreSQL did not stop: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("private PostgreSQL's folder " + home + " not removed: " + e.getMessage());
        }
    }

    private void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile(home, "command-", ".out");
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", full) + " did not end within " + COMMAND_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " exited with " + p.exitValue() + ": "
                    + Files.readString(out).trim());
        }
    }

    private static Path binaries() throws IOException {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return checked(Path.of(env));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IOException("no " + root + " (and no PG_BIN) for initdb and pg_ctl");
        }
        try (Stream<Path> versions = Files.list(root)) {
            Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparing(v -> versionOf(v.getFileName().toString())))
                    .orElseThrow(() -> new IOException("no " + root + "/<version>/bin/initdb"));
            return checked(newest.resolve("bin"));
        }
    }

    private static Path checked(Path bin) throws IOException {
        for (String tool : List.of("initdb", "pg_ctl")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IOException("no executable " + bin.resolve(tool));
            }
        }
        return bin;
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
