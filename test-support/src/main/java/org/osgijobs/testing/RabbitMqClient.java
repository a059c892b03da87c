package org.osgijobs.testing;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * A test's own access to {@link RabbitMqBroker the test broker} through the plain RabbitMQ client, as an operator
 * or a foreign producer would have it: counting, purging and deleting queues. The client is not a dependency of
 * this module's users: driver-amqp's tests have it on their class path, and the AMQP itests install its bundle
 * (this bundle imports it optionally). Connections are opened without automatic recovery.
 */
public final class RabbitMqClient {

    private RabbitMqClient() {
    }

    /**
     * @param connectionName the name the broker shows for the connection (e.g. {@code rabbitmqctl list_connections})
     * @return a new plain connection to the test broker, guest/guest; the caller closes it
     */
    public static Connection connect(String connectionName) throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(RabbitMqBroker.HOST);
        f.setPort(RabbitMqBroker.PORT);
        f.setUsername(RabbitMqBroker.USER);
        f.setPassword(RabbitMqBroker.PASSWORD);
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection(connectionName);
    }

    /**
     * @param c     an open connection (a channel of its own is opened and closed)
     * @param queue a queue name
     * @return the number of ready messages in the queue, or -1 when it does not exist
     */
    public static long count(Connection c, String queue) throws IOException {
        Channel ch = c.createChannel();
        try {
            return ch.messageCount(queue);
        } catch (IOException doesNotExist) {
            return -1;
        } finally {
            closeQuietly(ch);
        }
    }

    /** @return the ready messages in the queue, or -1 when it does not exist or the broker does not answer */
    public static long count(String queue) {
        try (Connection c = connect("osgijobs-test-count")) {
            return count(c, queue);
        } catch (IOException | TimeoutException e) {
            return -1;
        }
    }

    /**
     * Removes the ready messages of a queue.
     *
     * @return how many were removed
     * @throws IOException when the queue does not exist
     */
    public static long purge(Connection c, String queue) throws IOException {
        Channel ch = c.createChannel();
        try {
            return ch.queuePurge(queue).getMessageCount();
        } finally {
            closeQuietly(ch);
        }
    }

    /** Deletes a queue with its messages; one that does not exist is no error. */
    public static void deleteQueue(Connection c, String queue) throws IOException {
        Channel ch = c.createChannel();
        try {
            ch.queueDelete(queue);
        } catch (IOException gone) {
            // a broker that refuses to delete what does not exist: gone is gone
        } finally {
            closeQuietly(ch);
        }
    }

    /** Deletes an exchange; one that does not exist is no error. */
    public static void deleteExchange(Connection c, String exchange) throws IOException {
        Channel ch = c.createChannel();
        try {
            ch.exchangeDelete(exchange);
        } catch (IOException gone) {
            // a broker that refuses to delete what does not exist: gone is gone
        } finally {
            closeQuietly(ch);
        }
    }

    /**
     * Deletes a test's queues and exchanges, best effort: those already gone are skipped, and a failure is printed
     * (the names are unique, so a leftover harms no later test).
     */
    public static void deleteAll(Connection c, Collection<String> queues, Collection<String> exchanges) {
        try {
            for (String q : queues) {
                deleteQueue(c, q);
            }
            for (String e : exchanges) {
                deleteExchange(c, e);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("test: could not delete test queues " + queues + " / exchanges " + exchanges + ": "
                    + e);
        }
    }

    /** {@link #deleteAll(Connection, Collection, Collection)} through a connection of its own. */
    public static void deleteAll(Collection<String> queues, Collection<String> exchanges) {
        if (queues.isEmpty() && exchanges.isEmpty()) {
            return;
        }
        try (Connection c = connect("osgijobs-test-cleanup")) {
            deleteAll(c, queues, exchanges);
        } catch (IOException | TimeoutException | RuntimeException e) {
            System.err.println("test: could not delete test queues " + queues + " / exchanges " + exchanges + ": "
                    + e);
        }
    }

    private static void closeQuietly(Channel ch) {
        if (ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | RuntimeException ignored) {
                // closed already
            }
        }
    }
}
