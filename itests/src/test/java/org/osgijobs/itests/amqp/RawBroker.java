package org.osgijobs.itests.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;

/**
 * The test's own plain client access to the broker, as a PHP RoadRunner service or an operator would have it:
 * publishing with given headers and reading a message's typed headers here, counting and deleting through
 * test-support's {@link RabbitMqClient}. Only JDK types cross its methods, so that test classes load without the
 * client outside the framework.
 */
final class RawBroker {

    private RawBroker() {
    }

    private static Connection connect() throws IOException, TimeoutException {
        return RabbitMqClient.connect("itest-raw");
    }

    /** Publishes to a queue through the default exchange, with the given headers. */
    static void publish(String queue, Map<String, Object> headers, String body) throws Exception {
        try (Connection c = connect()) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/octet-stream")
                    .deliveryMode(2).headers(headers).build(), body.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }
    }

    /** Declares a queue, as another runtime or an operator would. */
    static void declareQueue(String queue, boolean durable) throws Exception {
        try (Connection c = connect()) {
            c.createChannel().queueDeclare(queue, durable, false, false, null);
        }
    }

    /** @return ready messages in a queue, -1 when it does not exist */
    static long count(String queue) {
        return RabbitMqClient.count(queue);
    }

    /**
     * Takes one message off a queue.
     *
     * @return its headers, with each value's AMQP type made visible as {@code Type:value} (LongString, byte[],
     *         Integer, Long, Boolean), or {@code null} when the queue is empty
     */
    static Map<String, String> takeHeaders(String queue) throws Exception {
        try (Connection c = connect()) {
            GetResponse r = c.createChannel().basicGet(queue, true);
            if (r == null) {
                return null;
            }
            Map<String, String> typed = new HashMap<>();
            r.getProps().getHeaders().forEach((k, v) -> {
                String type = v instanceof LongString ? "LongString" : v instanceof byte[] ? "byte[]"
                        : v.getClass().getSimpleName();
                String value = v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : v.toString();
                typed.put(k, type + ":" + value);
            });
            typed.put("content_type", String.valueOf(r.getProps().getContentType()));
            typed.put("delivery_mode", String.valueOf(r.getProps().getDeliveryMode()));
            typed.put("body", new String(r.getBody(), StandardCharsets.UTF_8));
            return typed;
        }
    }

    /**
     * Deletes queues and exchanges, ignoring those already gone. Without any, it does not touch the client: a
     * framework without the client bundle (AmqpMinimalFrameworkIT) calls it too.
     */
    static void deleteAll(List<String> queues, List<String> exchanges) {
        if (queues.isEmpty() && exchanges.isEmpty()) {
            return;
        }
        RabbitMqClient.deleteAll(queues, exchanges);
    }
}
