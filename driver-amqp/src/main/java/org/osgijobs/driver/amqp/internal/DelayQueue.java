package org.osgijobs.driver.amqp.internal;

import java.util.Map;

/**
 * A queue that holds delayed jobs for one delay and one destination: every message expires after the delay and is
 * dead-lettered to the destination exchange and routing key. The queue itself expires when unused for twice the
 * delay. Name and arguments are RoadRunner's, so that both runtimes can share the queue:
 * {@code delayed-<ms>.<exchange>.<queue>}.
 *
 * @param name       the queue's name
 * @param delayMs    the delay
 * @param exchange   where expired messages go
 * @param routingKey with which routing key
 */
record DelayQueue(String name, long delayMs, String exchange, String routingKey) {

    /**
     * @param delaySeconds the delay
     * @param exchange     the destination exchange ({@code ""} for the default exchange)
     * @param target       the destination's name in the queue name: the pipeline's queue, or its routing key
     * @param routingKey   the routing key the expired message is dead-lettered with
     * @return the delay queue
     */
    static DelayQueue of(int delaySeconds, String exchange, String target, String routingKey) {
        long ms = delaySeconds * 1000L;
        return new DelayQueue("delayed-" + ms + "." + exchange + "." + target, ms, exchange, routingKey);
    }

    /** @return the declare arguments, with RoadRunner's types (64-bit integers for the times) */
    Map<String, Object> arguments() {
        return Map.of("x-dead-letter-exchange", exchange, "x-dead-letter-routing-key", routingKey,
                "x-message-ttl", delayMs, "x-expires", delayMs * 2);
    }
}
