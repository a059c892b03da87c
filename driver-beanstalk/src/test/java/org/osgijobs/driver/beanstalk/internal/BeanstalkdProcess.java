package org.osgijobs.driver.beanstalk.internal;

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
 * A beanstalkd of the test's own, on a free port with its binlog under {@code target/}, so that a test can kill and
 * restart it without touching the shared server on 11300. It runs with {@code -f 0}: the binlog is fsynced after
 * every write (the default fsyncs at most every 50 ms; a process kill loses nothing written either way, only a
 * machine crash does). Needs {@code beanstalkd} (Debian's package); the test is skipped loudly without it, and fails
 * under {@code CI=true}.
 */
final class BeanstalkdProcess implements AutoCloseable {
    private static final String BINARY = "/usr/bin/beanstalkd";

    final int port;
    private final Path binlog;
    private final Path log;
    private Process process;

    BeanstalkdProcess() throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            String message = BINARY + " is not installed: the server restart test needs it (.ci/start-beanstalkd)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path work = Path.of(System.getProperty("beanstalk.test.work", "target/beanstalk-test"));
        binlog = Files.createDirectories(work.resolve("binlog-" + port));
        log = work.resolve("beanstalkd-" + port + ".log");
    }

    /** Starts the server (again, on the same binlog) and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY, "-l", "127.0.0.1", "-p", String.valueOf(port), "-b", binlog.toString(),
                "-f", "0").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                    throw new IOException("beanstalkd did not start on port " + port + "; see " + log, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Kills the server with SIGKILL, as in a crash of the process. */
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
