package org.osgijobs.driver.amqp.internal;

import java.util.Map;
import java.util.UUID;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one AMQP pipeline, with RoadRunner's names and defaults, parsed and checked once when the driver
 * is built. Immutable.
 */
final class PipelineOptions {

    static final String PREFETCH = "prefetch";
    static final String PRIORITY = "priority";
    static final String REDIAL_TIMEOUT = "redial_timeout";
    static final String QUEUE = "queue";
    static final String EXCHANGE = "exchange";
    static final String EXCHANGE_TYPE = "exchange_type";
    static final String ROUTING_KEY = "routing_key";
    static final String EXCLUSIVE = "exclusive";
    static final String DURABLE = "durable";
    static final String EXCHANGE_DURABLE = "exchange_durable";
    static final String EXCHANGE_AUTO_DELETE = "exchange_auto_delete";
    static final String QUEUE_AUTO_DELETE = "queue_auto_delete";
    static final String DELETE_QUEUE_ON_STOP = "delete_queue_on_stop";
    static final String MULTIPLE_ACK = "multiple_ack";
    static final String REQUEUE_ON_FAIL = "requeue_on_fail";
    static final String CONSUMER_ID = "consumer_id";
    static final String QUEUE_HEADERS = "queue_headers";
    /** Seconds to wait for a confirm, a broker operation, or a connection during recovery (the runtime's). */
    static final String TIMEOUT = "timeout";
    /** Publishes waiting for their confirm at once (not a RoadRunner option). */
    static final String PUBLISH_WINDOW = "publish_window";
    static final String WIRE = "wire";

    static final int DEFAULT_PREFETCH = 10;
    static final int DEFAULT_REDIAL_TIMEOUT = 60;
    static final String DEFAULT_EXCHANGE = "amqp.default";
    static final int DEFAULT_TIMEOUT = 60;
    static final int DEFAULT_PUBLISH_WINDOW = 1000;

    private static final int MAX_NAME_BYTES = 255;

    final String pipeline;
    final long priority;
    final int prefetch;
    final int redialTimeoutSeconds;
    /** The queue, or empty for a push-only pipeline. */
    final String queue;
    final String exchange;
    final ExchangeType exchangeType;
    final String routingKey;
    final boolean exclusive;
    final boolean durable;
    final boolean exchangeDurable;
    final boolean exchangeAutoDelete;
    final boolean queueAutoDelete;
    final boolean deleteQueueOnStop;
    final boolean multipleAck;
    final boolean requeueOnFail;
    final String consumerId;
    final Map<String, Object> queueArguments;
    final int timeoutSeconds;
    final int publishWindow;
    /** Whether pushes leave out the headers that carry their default ({@code wire=compact}). */
    final boolean compactWire;

    private PipelineOptions(Pipeline p) {
        pipeline = p.name();
        priority = p.priority();
        int prefetchValue = p.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetchValue < 0 || prefetchValue > 65535) {
            throw p.bad(PREFETCH, String.valueOf(prefetchValue), "a number from 1 to 65535");
        }
        prefetch = prefetchValue == 0 ? DEFAULT_PREFETCH : prefetchValue; // RoadRunner reads 0 as the default
        int redial = p.getInt(REDIAL_TIMEOUT, DEFAULT_REDIAL_TIMEOUT);
        if (redial < 0) {
            throw p.bad(REDIAL_TIMEOUT, String.valueOf(redial), "a number of seconds not below 0");
        }
        redialTimeoutSeconds = redial == 0 ? DEFAULT_REDIAL_TIMEOUT : redial;
        queue = name(p, QUEUE, "");
        exchange = name(p, EXCHANGE, DEFAULT_EXCHANGE);
        if (exchange.isEmpty()) {
            throw p.bad(EXCHANGE, exchange, "a name (the default exchange cannot be declared)");
        }
        if (exchange.startsWith("amq.")) {
            throw p.bad(EXCHANGE, exchange, "a name that does not start with 'amq.' (reserved by the broker)");
        }
        if (p.options().containsKey(EXCHANGE_TYPE) && !p.has(EXCHANGE_TYPE)) {
            // given but empty: a slip, not a wish for the default (direct), which leaving the key out gives
            throw p.bad(EXCHANGE_TYPE, p.options().get(EXCHANGE_TYPE), "one of direct, fanout, topic, headers");
        }
        exchangeType = ExchangeType.parse(p, p.getString(EXCHANGE_TYPE, "direct"));
        routingKey = name(p, ROUTING_KEY, "");
        exclusive = p.getBool(EXCLUSIVE, false);
        durable = p.getBool(DURABLE, false);
        exchangeDurable = p.getBool(EXCHANGE_DURABLE, false);
        exchangeAutoDelete = p.getBool(EXCHANGE_AUTO_DELETE, false);
        queueAutoDelete = p.getBool(QUEUE_AUTO_DELETE, false);
        deleteQueueOnStop = p.getBool(DELETE_QUEUE_ON_STOP, false);
        multipleAck = p.getBool(MULTIPLE_ACK, false);
        requeueOnFail = p.getBool(REQUEUE_ON_FAIL, false);
        consumerId = p.getString(CONSUMER_ID, "osgijobs-" + UUID.randomUUID());
        queueArguments = QueueArguments.of(p);
        timeoutSeconds = p.getInt(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeoutSeconds < 1) {
            throw p.bad(TIMEOUT, String.valueOf(timeoutSeconds), "a number of seconds above 0");
        }
        publishWindow = p.getInt(PUBLISH_WINDOW, DEFAULT_PUBLISH_WINDOW);
        if (publishWindow < 1) {
            throw p.bad(PUBLISH_WINDOW, String.valueOf(publishWindow), "a number above 0");
        }
        String wire = p.getString(WIRE, "full");
        if (!wire.equals("full") && !wire.equals("compact")) {
            throw p.bad(WIRE, wire, "full or compact");
        }
        compactWire = wire.equals("compact");
        if (exchangeType == ExchangeType.FANOUT && queue.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline + "': exchange_type"
                    + " 'fanout' needs option 'queue': a fanout exchange copies every job to all its queues, so each"
                    + " fanout pipeline needs its own");
        }
    }

    /**
     * @param pipeline the pipeline
     * @return its AMQP options
     * @throws JobsException naming the first malformed option
     */
    static PipelineOptions of(Pipeline pipeline) {
        return new PipelineOptions(pipeline);
    }

    /** @return whether the pipeline has a queue to consume from */
    boolean hasQueue() {
        return !queue.isEmpty();
    }

    private static String name(Pipeline p, String key, String defaultValue) {
        String v = p.getString(key, defaultValue);
        if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw p.bad(key, v, "at most " + MAX_NAME_BYTES + " bytes long");
        }
        return v;
    }
}
