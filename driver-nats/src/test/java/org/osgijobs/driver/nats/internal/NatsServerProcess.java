package org.osgijobs.driver.nats.internal;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * A nats-server of the test's own, on a free port with its JetStream store under {@code target/}, so that a test can
 * kill and restart it without touching the shared server on 4222. Needs {@code nats-server} (Debian's package puts
 * it in /usr/sbin); the test is skipped loudly without it, and fails under {@code CI=true}.
 */
final class NatsServerProcess implements AutoCloseable {
    private static final String BINARY = "/usr/sbin/nats-server";

    final int port;
    private final Path store;
    private final Path log;
    private Process process;

    NatsServerProcess() throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            String message = BINARY + " is not installed: the server restart test needs it (.ci/start-nats)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path work = Path.of(System.getProperty("nats.test.work", "target/nats-test"));
        store = Files.createDirectories(work.resolve("server-" + port));
        log = work.resolve("server-" + port + ".log");
    }

    String addr() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same store) and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY, "-a", "127.0.0.1", "-p", String.valueOf(port), "-js", "-sd",
                store.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        log.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                    throw new IOException("nats-server did not start on port " + port + "; see " + log, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server with SIGTERM, as a service manager restarting it does: it closes every connection at once. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Kills the server with SIGKILL: nothing is flushed, as in a crash. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
