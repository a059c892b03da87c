package org.osgijobs.launcher.it;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;

import org.osgijobs.testing.RabbitMqBroker;

/**
 * What only the launcher's tests do to the RabbitMQ of {@link RabbitMqBroker}: stop and start its application
 * (BrokerRestartIT), delete a test queue (BrokerQueue). The broker check, {@code rabbitmqctl} and the queue counters
 * are {@link RabbitMqBroker}'s.
 */
final class RabbitMq {
    private RabbitMq() {
    }

    /** Deletes a test queue, best effort: the tests use fresh names, so a leftover harms no later run. */
    static void deleteQueue(String queue) {
        try {
            RabbitMqBroker.rabbitmqctl(Duration.ofSeconds(30), "delete_queue", queue);
        } catch (IOException | AssertionError e) {
            // no rabbitmqctl here, or the broker did not delete it: the queue stays, unused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the RabbitMQ application (the Erlang node stays up): every client connection is closed. */
    static void stopApp() throws Exception {
        RabbitMqBroker.rabbitmqctl(Duration.ofSeconds(60), "stop_app");
    }

    /**
     * Starts the RabbitMQ application, whether or not it runs (starting a running one changes nothing), and waits
     * until it accepts connections again. Tests that stop the broker call this in a finally block: the other
     * tests need the broker.
     */
    static void startAppAndAwaitPort(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RabbitMqBroker.rabbitmqctl(timeout, "start_app");
        while (!RabbitMqBroker.reachable()) {
            if (System.nanoTime() - deadline > 0) {
                fail("RabbitMQ does not accept connections on " + RabbitMqBroker.HOST + ":" + RabbitMqBroker.PORT
                        + " " + timeout.toSeconds() + " s after start_app");
            }
            Thread.sleep(200);
        }
    }
}
