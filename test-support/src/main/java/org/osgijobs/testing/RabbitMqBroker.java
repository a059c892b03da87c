package org.osgijobs.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * The RabbitMQ the AMQP tests use: 127.0.0.1:5672, guest/guest ({@code .ci/start-rabbitmq} starts one). Only JDK
 * types here, so that this class loads where the RabbitMQ client does not (the plain client's helpers are in
 * {@link RabbitMqClient}); {@link #rabbitmqctl(Duration, String...)} needs {@code rabbitmqctl} on the path.
 */
public final class RabbitMqBroker {
    /** The broker's host. */
    public static final String HOST = "127.0.0.1";
    /** Its AMQP port. */
    public static final int PORT = 5672;
    /** Its user. */
    public static final String USER = "guest";
    /** That user's password. */
    public static final String PASSWORD = "guest";
    /** Its address as the driver's {@code addr} option takes it. */
    public static final String ADDR = "amqp://" + USER + ":" + PASSWORD + "@" + HOST + ":" + PORT + "/";

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private RabbitMqBroker() {
    }

    /**
     * A queue as the broker counts it ({@link #queueCounts(String)}).
     *
     * @param ready          messages waiting for a consumer
     * @param unacknowledged messages delivered and not yet acknowledged
     * @param consumers      consumers attached
     */
    public record QueueCounts(long ready, long unacknowledged, int consumers) {
        /** @return no message waiting and none outstanding: nothing can be delivered again */
        public boolean settled() {
            return ready == 0 && unacknowledged == 0;
        }
    }

    /** @return whether the broker accepts connections on its AMQP port now */
    public static boolean reachable() {
        return unreachableBecause() == null;
    }

    /**
     * Call before a test that needs the broker: when it does not answer, fails the test under {@code CI=true} (the
     * AMQP tests must run there), and elsewhere skips it with a loud message on standard error.
     */
    public static void assumeReachable() {
        String why = unreachableBecause();
        if (why == null) {
            return;
        }
        String message = "RabbitMQ is not reachable on " + HOST + ":" + PORT + " (" + why
                + "): run .ci/start-rabbitmq";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the AMQP tests must run)");
        }
        System.err.println("\n**** SKIPPED: " + message + " ****\n");
        Assume.assumeTrue(message, false);
    }

    /** @return {@code prefix-} and 8 random hex digits: a queue or exchange name no other test uses */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Runs {@code rabbitmqctl -q} with the arguments (its output read on the side, so that it never blocks on a full
     * pipe; killed when it takes longer than the timeout).
     *
     * @return its output lines
     * @throws AssertionError when it fails or takes too long, with its output
     * @throws IOException when it cannot be started (not on the path)
     */
    public static List<String> rabbitmqctl(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.add("-q");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (output) {
                    output.append(all);
                }
            } catch (IOException e) {
                synchronized (output) {
                    output.append("(output not readable: ").append(e).append(')');
                }
            }
        }, "rabbitmqctl-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s: "
                    + text(output));
        }
        reader.join(5000);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                    + text(output));
        }
        String all = text(output);
        return all.isEmpty() ? List.of() : List.of(all.split("\\R"));
    }

    /**
     * @return the queue's counters as {@code rabbitmqctl list_queues} shows them, or empty when the broker does not
     *         list the queue
     */
    public static Optional<QueueCounts> queueCounts(String queue) throws IOException, InterruptedException {
        for (String line : rabbitmqctl(Duration.ofSeconds(30), "list_queues", "--no-table-headers", "name",
                "messages_ready", "messages_unacknowledged", "consumers")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 4 && columns[0].equals(queue)) {
                return Optional.of(new QueueCounts(Long.parseLong(columns[1]), Long.parseLong(columns[2]),
                        Integer.parseInt(columns[3])));
            }
        }
        return Optional.empty();
    }

    private static String unreachableBecause() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), CONNECT_TIMEOUT_MILLIS);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static String text(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }
}
