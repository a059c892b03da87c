package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * One live connection of a pipeline and its channels: the publishing channel (confirm mode, used only by the
 * publisher thread) and a topology channel for declarations, shared under this object's lock and reopened when a
 * failed declaration closed it. A session is used until it is lost; then the {@link Link} builds a new one.
 */
final class Session {

    /** A broker operation on the topology channel. */
    interface TopologyCall<T> {
        T call(Channel channel) throws IOException;
    }

    final long generation;
    final Connection connection;
    final Channel publishChannel;
    private final AtomicBoolean lost = new AtomicBoolean();
    private Channel topology;

    Session(long generation, Connection connection, Channel publishChannel, Channel topology) {
        this.generation = generation;
        this.connection = connection;
        this.publishChannel = publishChannel;
        this.topology = topology;
    }

    /**
     * Runs a declaration on the topology channel. A channel-level refusal (e.g. a passive declare of a missing
     * queue) closes only that channel, which the next call reopens; the connection stays.
     */
    synchronized <T> T topology(TopologyCall<T> call) throws IOException {
        if (topology == null || !topology.isOpen()) {
            topology = connection.createChannel();
        }
        return call.call(topology);
    }

    /** @return {@code true} the first time: the caller then owns the loss */
    boolean markLost() {
        return lost.compareAndSet(false, true);
    }

    boolean isLost() {
        return lost.get();
    }

    /** Closes the connection without waiting for the broker; unacknowledged deliveries return to their queue. */
    void abort() {
        connection.abort(1000);
    }

    /** Closes the connection cleanly, waiting at most the given time. */
    void close(int timeoutMillis) {
        lost.set(true);
        try {
            connection.close(timeoutMillis);
        } catch (IOException | RuntimeException e) {
            connection.abort(timeoutMillis);
        }
    }
}
