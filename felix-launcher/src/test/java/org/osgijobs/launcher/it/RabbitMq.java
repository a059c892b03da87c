package org.osgijobs.launcher.it;

import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/** The RabbitMQ the AMQP tests need: 127.0.0.1:5672, guest/guest. */
final class RabbitMq {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private RabbitMq() {
    }

    /**
     * A queue as the broker counts it.
     *
     * @param ready          messages waiting for a consumer
     * @param unacknowledged messages delivered and not yet acknowledged
     * @param consumers      consumers attached
     */
    record QueueCounts(long ready, long unacknowledged, int consumers) {
        /** @return no message waiting and none outstanding: nothing can be delivered again */
        boolean settled() {
            return ready == 0 && unacknowledged == 0;
        }
    }

    /** @return whether the broker accepts connections on its AMQP port */
    static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails when RabbitMQ is unreachable on CI ({@code CI=true}); elsewhere skips the test, loudly. */
    static void assumeReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String why = "RabbitMQ is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ": the AMQP tests cannot run on CI without it");
            }
            System.err.println("!!!!!!!! SKIPPED: " + why + "; start it to run the AMQP distribution tests !!!!!!!!");
            Assume.assumeTrue(why, false);
        }
    }

    /** Deletes a test queue, best effort: the tests use fresh names, so a leftover harms no later run. */
    static void deleteQueue(String queue) {
        try {
            new ProcessBuilder("rabbitmqctl", "delete_queue", queue).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            // no rabbitmqctl here: the queue stays, unused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the queue's counters, or empty when the broker does not list it */
    static Optional<QueueCounts> queue(String queue) throws Exception {
        String listing = rabbitmqctl(Duration.ofSeconds(30), "-q", "list_queues", "--no-table-headers", "name",
                "messages_ready", "messages_unacknowledged", "consumers");
        for (String line : listing.split("\\R")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 4 && columns[0].equals(queue)) {
                return Optional.of(new QueueCounts(Long.parseLong(columns[1]), Long.parseLong(columns[2]),
                        Integer.parseInt(columns[3])));
            }
        }
        return Optional.empty();
    }

    /** Stops the RabbitMQ application (the Erlang node stays up): every client connection is closed. */
    static void stopApp() throws Exception {
        rabbitmqctl(Duration.ofSeconds(60), "stop_app");
    }

    /**
     * Starts the RabbitMQ application, whether or not it runs (starting a running one changes nothing), and waits
     * until it accepts connections again. Tests that stop the broker call this in a finally block: the other
     * tests need the broker.
     */
    static void startAppAndAwaitPort(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        rabbitmqctl(timeout, "start_app");
        while (!reachable()) {
            if (System.nanoTime() - deadline > 0) {
                fail("RabbitMQ does not accept connections on " + HOST + ":" + PORT + " " + timeout.toSeconds()
                        + " s after start_app");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Runs {@code rabbitmqctl} with the arguments, killing it when it takes longer than the timeout.
     *
     * @return its output
     * @throws AssertionError when it fails or takes too long, with its output
     */
    static String rabbitmqctl(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // the output is small; read it on the side so the process never blocks on a full pipe
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output not readable: ").append(e).append(')');
            }
        }, "rabbitmqctl-output");
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            fail(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s: " + output);
        }
        reader.join(5000);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output.toString();
    }
}
