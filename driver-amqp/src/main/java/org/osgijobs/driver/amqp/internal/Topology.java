package org.osgijobs.driver.amqp.internal;

import java.io.IOException;

import com.rabbitmq.client.Channel;

/** Declares what a pipeline needs on the broker: its exchange, its queue and binding, and delay queues. */
final class Topology {

    private final PipelineOptions options;

    Topology(PipelineOptions options) {
        this.options = options;
    }

    /** Declares the pipeline's exchange (idempotent). */
    void declareExchange(Channel channel) throws IOException {
        channel.exchangeDeclare(options.exchange, options.exchangeType.wireName(), options.exchangeDurable,
                options.exchangeAutoDelete, null);
    }

    /** Declares the pipeline's queue and binds it to the exchange with the routing key (idempotent). */
    void declareQueue(Channel channel) throws IOException {
        channel.queueDeclare(options.queue, options.durable, options.exclusive, options.queueAutoDelete,
                options.queueArguments.isEmpty() ? null : options.queueArguments);
        channel.queueBind(options.queue, options.exchange, options.routingKey);
    }

    /** Declares a delay queue; declaring again renews its expiry. */
    static void declareDelayQueue(Channel channel, DelayQueue queue) throws IOException {
        channel.queueDeclare(queue.name(), true, false, false, queue.arguments());
    }
}
