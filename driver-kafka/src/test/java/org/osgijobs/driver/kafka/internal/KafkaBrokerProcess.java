package org.osgijobs.driver.kafka.internal;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of a test's own (KRaft, single node, broker and controller) in a child JVM, on free ports with its
 * data in a folder under target/: for the tests that stop or kill a broker. It runs the same jars as
 * {@code .ci/start-kafka} (this module depends on {@code kafka_2.13} in test scope, so the test class path has
 * them). Stop and start again keep the data.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private Process process;

    KafkaBrokerProcess() throws IOException {
        port = freePort();
        controllerPort = freePort();
        Path work = Path.of(System.getProperty("kafka.test.work", "target/kafka-test"));
        dir = work.resolve("broker-" + port);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("logs").toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "group.min.session.timeout.ms=1000",
                ""), StandardCharsets.UTF_8);
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
                dir.resolve("server.properties").toString()), dir.resolve("format.log"));
    }

    /**
     * Makes the broker tell clients another port than its own (before {@link #start()}): a proxy's, so that every
     * connection, those to the addresses the metadata gives included, goes through it and can be cut there.
     */
    void advertise(int advertisedPort) throws IOException {
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, Files.readString(properties, StandardCharsets.UTF_8).replace(
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + "\n",
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + advertisedPort + "\n"), StandardCharsets.UTF_8);
    }

    /**
     * Adds a listener that takes SASL/PLAIN logins (before {@link #start()}), with one user; the plain listener
     * stays for the test's admin client and between broker and controller.
     *
     * @return the SASL listener's port
     */
    int enableSaslPlain(String user, String password) throws IOException {
        int saslPort = freePort();
        Path properties = dir.resolve("server.properties");
        String text = Files.readString(properties, StandardCharsets.UTF_8)
                .replace("listeners=PLAINTEXT://127.0.0.1:" + port + ",",
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",")
                .replace("advertised.listeners=PLAINTEXT://127.0.0.1:" + port + "\n",
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                                + "\n")
                .replace("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,")
                + "sasl.enabled.mechanisms=PLAIN\n"
                + "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + user + "=\"" + password
                + "\";\n";
        Files.writeString(properties, text, StandardCharsets.UTF_8);
        return saslPort;
    }

    /**
     * Adds a listener that speaks TLS (before {@link #start()}) with the server certificate of the files (for
     * 127.0.0.1, signed by their CA); the plain listener stays for the test's admin client.
     *
     * @return the TLS listener's port
     */
    int enableTls(Path keyStore, String keyStorePassword) throws IOException {
        int tlsPort = freePort();
        Path properties = dir.resolve("server.properties");
        String text = Files.readString(properties, StandardCharsets.UTF_8)
                .replace("listeners=PLAINTEXT://127.0.0.1:" + port + ",",
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort + ",")
                .replace("advertised.listeners=PLAINTEXT://127.0.0.1:" + port + "\n",
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort + "\n")
                .replace("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,")
                + "ssl.keystore.type=PKCS12\n"
                + "ssl.keystore.location=" + keyStore.toAbsolutePath() + "\n"
                + "ssl.keystore.password=" + keyStorePassword + "\n";
        Files.writeString(properties, text, StandardCharsets.UTF_8);
        return tlsPort;
    }

    String brokers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Starts the broker and waits (up to 60 s) for its port. */
    void start() throws IOException, InterruptedException {
        process = launch(List.of("kafka.Kafka", dir.resolve("server.properties").toString()),
                dir.resolve("broker.log"));
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) {
                throw new IOException("the test broker exited with " + process.exitValue() + " (see "
                        + dir.resolve("broker.log") + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the test broker did not open port " + port + " within 60 s");
    }

    /** Stops the broker cleanly (SIGTERM) and waits for it. */
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
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** @return the class path of this test JVM (surefire's, not its booter jar) */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    /** Starts {@code java -cp <test class path> <args>} with its output in a file. */
    static Process launch(List<String> args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void run(List<String> args, Path log) throws IOException {
        try {
            Process p = launch(args, log);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("formatting the test broker's storage failed (see " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A random cluster id, never starting with '-' (the storage tool would take it for an option: 1 in 64). */
    private static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "test broker " + brokers() + " in " + dir + File.separator;
    }
}
