package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownListener;

/**
 * One pipeline's live channels on a {@link SharedConnection}: the publishing channel (confirm mode, used only by
 * the publisher thread), a topology channel for declarations, shared under this object's lock and reopened when a
 * failed declaration closed it, and the consuming channel. A session is used until it is lost; then the
 * {@link Link} builds a new one. Ending a session closes its channels, never the connection, which other
 * pipelines use too.
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
    // guarded by this
    private final List<Channel> channels = new ArrayList<>();
    private Channel topology;
    private ShutdownListener onConnectionLoss;

    Session(long generation, Connection connection, Channel publishChannel, Channel topology) {
        this.generation = generation;
        this.connection = connection;
        this.publishChannel = publishChannel;
        this.topology = topology;
        channels.add(publishChannel);
        channels.add(topology);
    }

    /** Watches the shared connection for this session; the listener is removed when the session ends. */
    synchronized void watch(ShutdownListener listener) {
        onConnectionLoss = listener;
        connection.addShutdownListener(listener);
    }

    /**
     * Opens another channel of this session (closed with it).
     *
     * @throws IOException when the connection is gone or has no channel left
     */
    Channel openChannel() throws IOException {
        Channel channel = open(connection);
        synchronized (this) {
            channels.add(channel);
        }
        if (lost.get()) {
            channel.abort();
        }
        return channel;
    }

    /**
     * Runs a declaration on the topology channel. A channel-level refusal (e.g. a passive declare of a missing
     * queue) closes only that channel, which the next call reopens; the connection stays.
     */
    synchronized <T> T topology(TopologyCall<T> call) throws IOException {
        if (topology == null || !topology.isOpen()) {
            topology = open(connection);
            channels.add(topology);
        }
        return call.call(topology);
    }

    /**
     * @return a new channel of the connection
     * @throws IOException when the connection has no channel number left (the broker's {@code channel_max},
     *                     2047 by default: each pipeline takes up to three)
     */
    static Channel open(Connection connection) throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("the shared connection has no channel number left (the broker's channel_max is "
                    + connection.getChannelMax() + "; each pipeline takes up to 3)");
        }
        return channel;
    }

    /** @return {@code true} the first time: the caller then owns the loss */
    boolean markLost() {
        return lost.compareAndSet(false, true);
    }

    boolean isLost() {
        return lost.get();
    }

    /**
     * Closes the session's channels without waiting for the broker; unacknowledged deliveries of its consuming
     * channel return to their queue. The shared connection stays open.
     */
    void abort() {
        for (Channel c : end()) {
            try {
                c.abort();
            } catch (IOException | RuntimeException e) {
                // closed already
            }
        }
    }

    /** Closes the session's channels cleanly (the broker answers each close quickly). */
    void close(int timeoutMillis) {
        lost.set(true);
        for (Channel c : end()) {
            try {
                if (c.isOpen()) {
                    c.close();
                }
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                try {
                    c.abort();
                } catch (IOException | RuntimeException ignored) {
                    // closed meanwhile
                }
            }
        }
    }

    private synchronized List<Channel> end() {
        if (onConnectionLoss != null) {
            connection.removeShutdownListener(onConnectionLoss);
            onConnectionLoss = null;
        }
        List<Channel> all = new ArrayList<>(channels);
        channels.clear();
        return all;
    }
}
