package org.osgijobs.benchmarks;

import java.net.URI;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The RabbitMQ broker of the AMQP scenario, reached with the bare Java client. */
final class Broker {
    private final String uri;

    /** @param uri the broker as the driver's {@code addr} writes it: a trailing {@code /} is the vhost {@code /} */
    Broker(String uri) {
        this.uri = uri;
    }

    /** @return a connection factory for the broker, the vhost read as the driver reads it */
    ConnectionFactory factory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        String path = URI.create(uri).getRawPath();
        if ("/".equals(path)) {
            factory.setVirtualHost("/"); // the client alone would read the empty vhost
        }
        factory.setConnectionTimeout(5000);
        // a lost connection must fail the round: a recovered one would restart the confirm sequence numbers and
        // leave the publish window waiting for confirms that never come
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** @return why the broker cannot be used, or {@code null} when a connection opens */
    String unreachable() {
        try (Connection connection = factory().newConnection("osgijobs-bench-probe")) {
            return null;
        } catch (Exception e) {
            return "RabbitMQ at " + withoutCredentials() + " is unreachable: " + e;
        }
    }

    /** Deletes queues and exchanges, those that exist; used before and after the scenario. */
    void delete(List<String> queues, List<String> exchanges) throws Exception {
        try (Connection connection = factory().newConnection("osgijobs-bench-cleanup")) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                }
            }
            for (String exchange : exchanges) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                }
            }
        }
    }

    String withoutCredentials() {
        return uri.replaceAll("//[^@/]*@", "//");
    }
}
