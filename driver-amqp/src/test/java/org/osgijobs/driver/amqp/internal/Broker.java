package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.junit.Assume;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The real RabbitMQ on 127.0.0.1:5672 (guest/guest), as the tests use it. */
final class Broker {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;
    static final String ADDR = "amqp://guest:guest@127.0.0.1:5672/";

    private Broker() {
    }

    /** Fails under CI=true, otherwise skips the test loudly, when the broker does not answer. */
    static void assumeReachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
            return;
        } catch (IOException e) {
            String message = "RabbitMQ is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): run .ci/start-rabbitmq";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** @return a plain client connection, for the test's own publishing and inspection */
    static Connection connect() throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(HOST);
        f.setPort(PORT);
        f.setUsername("guest");
        f.setPassword("guest");
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection("driver-amqp-test");
    }

    /** @return a name no other test uses */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return the number of ready messages in a queue, or -1 when it does not exist */
    static long messageCount(Connection c, String queue) throws IOException {
        Channel ch = c.createChannel();
        try {
            return ch.messageCount(queue);
        } catch (IOException e) {
            return -1;
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (TimeoutException | IOException ignored) {
                    // closed already
                }
            }
        }
    }

    /** Runs rabbitmqctl and returns its output lines. */
    static List<String> rabbitmqctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.add("-q");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("rabbitmqctl " + args[0] + " failed: " + lines);
        }
        return lines;
    }

    /**
     * Waits for a condition. Not a timing assertion: the limit only keeps a broken test from hanging.
     *
     * @return whether the condition became true within the limit
     */
    static boolean eventually(BooleanSupplier condition, long limitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
