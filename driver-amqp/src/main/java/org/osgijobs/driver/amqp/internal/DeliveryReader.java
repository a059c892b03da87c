package org.osgijobs.driver.amqp.internal;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

/**
 * Reads the job a delivery describes, for one pipeline, and warns once about what was missing or malformed. A
 * delivery whose headers cannot be read at all (the decoder itself failed on them) runs as a foreign message with
 * defaults: SPEC 9 wants no message left unsettled, or redelivered for ever, because it could not be read.
 */
final class DeliveryReader {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReader.class);

    /** {@link WireFormat#decode}, replaceable in tests. */
    interface Decoder {
        WireFormat.Decoded decode(Map<String, Object> headers, long pipelinePriority);
    }

    private final String pipeline;
    private final long priority;
    private final Decoder decoder;

    DeliveryReader(String pipeline, long priority) {
        this(pipeline, priority, WireFormat::decode);
    }

    DeliveryReader(String pipeline, long priority, Decoder decoder) {
        this.pipeline = pipeline;
        this.priority = priority;
        this.decoder = decoder;
    }

    /**
     * @param envelope   the delivery's envelope, for the warning
     * @param properties its properties
     * @return the job's metadata, defaults where the message did not say
     */
    WireFormat.Decoded read(Envelope envelope, AMQP.BasicProperties properties) {
        WireFormat.Decoded decoded;
        try {
            decoded = decoder.decode(properties.getHeaders(), priority);
        } catch (RuntimeException | Error e) {
            // StackOverflowError included: a value nested too deep for a recursive reader is the message's fault
            decoded = WireFormat.foreign(priority, "unreadable headers (" + e.getClass().getSimpleName() + ")");
        }
        if (!decoded.problems().isEmpty()) {
            LOG.warn("pipeline '{}': message {} (exchange '{}', routing key '{}') is not a well-formed job: {};"
                    + " defaults used (name '{}', priority {})", pipeline, decoded.id(), envelope.getExchange(),
                    envelope.getRoutingKey(), String.join(", ", decoded.problems()), decoded.name(),
                    decoded.priority());
        }
        return decoded;
    }
}
