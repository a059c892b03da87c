package org.osgijobs.launcher.it;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.Assume;

/** The RabbitMQ the AMQP tests need: 127.0.0.1:5672, guest/guest. */
final class RabbitMq {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private RabbitMq() {
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
}
