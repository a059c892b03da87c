package org.osgijobs.driver.amqp.internal;

import java.util.Locale;

import org.osgijobs.api.driver.Pipeline;

/** The exchange types RabbitMQ ships, as the option {@code exchange_type} names them. */
enum ExchangeType {
    DIRECT, FANOUT, TOPIC, HEADERS;

    /** @return the name the broker knows */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param pipeline the pipeline, for the error message
     * @param value    the option's value
     * @return the type
     * @throws org.osgijobs.api.JobsException naming the option and the accepted values
     */
    static ExchangeType parse(Pipeline pipeline, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw pipeline.bad(PipelineOptions.EXCHANGE_TYPE, value, "one of direct, fanout, topic, headers");
        }
    }
}
