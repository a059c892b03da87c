package org.osgijobs.driver.sqs.internal;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ElasticMQ server of the test's own, in a JVM of its own on a free port, with its H2 message storage in a folder
 * of the test: for tests that stop and restart the server. Runs from the jars {@code .ci/start-elasticmq} resolved
 * (system property {@code elasticmq.lib}).
 */
final class ElasticMqProcess implements AutoCloseable {
    final int port;
    private final Path work;
    private final Path conf;
    private Process process;

    ElasticMqProcess() throws IOException {
        String lib = System.getProperty("elasticmq.lib", "");
        if (lib.isEmpty() || !new File(lib, ".complete").isFile()) {
            String message = "ElasticMQ's jars are not in '" + lib + "': run .ci/start-elasticmq";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the SQS tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            org.junit.Assume.assumeTrue(message, false);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        work = Files.createDirectories(Path.of(System.getProperty("sqs.test.work", "target/sqs-test"),
                "elasticmq-" + port));
        conf = work.resolve("elasticmq.conf");
        Files.writeString(conf, String.join("\n",
                "include classpath(\"application.conf\")",
                "node-address { protocol = http, host = \"127.0.0.1\", port = " + port + ", context-path = \"\" }",
                "rest-sqs { enabled = true, bind-port = " + port + ", bind-hostname = \"127.0.0.1\","
                        + " sqs-limits = strict }",
                "rest-stats { enabled = false }",
                // H2 must not close itself in a shutdown hook of its own while ElasticMQ still stores the last
                // sends (it did: "Database is already closed", and acknowledged sends were gone after the restart):
                // the launcher closes it after the server stopped
                "messages-storage { enabled = true, uri = \"jdbc:h2:" + work.toAbsolutePath().resolve("h2")
                        + ";DB_CLOSE_ON_EXIT=FALSE\" }",
                ""));
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server (a quick-starting JVM: C1 only, serial GC) and waits for its port. */
    void start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Dconfig.file=" + conf,
                "-cp", System.getProperty("elasticmq.lib") + File.separator + "*",
                "org.osgijobs.ci.elasticmq.ElasticMqMain"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("elasticmq.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("ElasticMQ exited with " + process.exitValue() + "; see "
                            + work.resolve("elasticmq.log"));
                }
                Thread.sleep(200);
            }
        }
        throw new IOException("ElasticMQ did not answer on port " + port + " within 60 s");
    }

    /** SIGTERM: ElasticMQ's shutdown hook closes its store. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
