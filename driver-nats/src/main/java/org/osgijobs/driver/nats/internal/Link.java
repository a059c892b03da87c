package org.osgijobs.driver.nats.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.support.Status;

/**
 * The connection of one pipeline and its recovery: the client reconnects for ever (every half second), and this
 * class tells its owner when the connection is (again) there, on the owner's own thread, never on the client's.
 * Credentials never appear in what it logs or reports: the address shows as {@link ConnectionSettings#toString()}.
 */
final class Link implements ConnectionListener, ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);

    /** What the owner does when the connection comes (back); called through the owner's executor. */
    interface Host {
        /** The connection is up: a first connect or a reconnect (the server may have lost what it had). */
        void opened();
    }

    private final String pipeline;
    private final ConnectionSettings settings;
    private final Duration timeout;
    private final Host events;
    private final java.util.concurrent.Executor owner;
    private final CountDownLatch firstConnect = new CountDownLatch(1);
    private volatile Connection connection;
    private volatile JetStream jetStream;
    private volatile JetStreamManagement management;
    private volatile String error;
    private volatile boolean closed;

    Link(String pipeline, ConnectionSettings settings, Duration timeout, java.util.concurrent.Executor owner,
            Host events) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.timeout = timeout;
        this.owner = owner;
        this.events = events;
        this.error = "connecting to " + settings;
    }

    /**
     * Starts connecting in the background and waits for the first connection up to {@code wait}.
     *
     * @return whether the connection is up
     */
    boolean start(Duration wait) throws InterruptedException {
        Nats.connectAsynchronously(settings.options("osgijobs-" + pipeline, timeout, this, this), true);
        return firstConnect.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the JetStream context, or {@code null} before the first connection */
    JetStream jetStream() {
        return jetStream;
    }

    /** @return the JetStream management context, or {@code null} before the first connection */
    JetStreamManagement management() {
        return management;
    }

    /** @return the connection, or {@code null} before the first one */
    Connection connection() {
        return connection;
    }

    /** @return whether the connection is up now */
    boolean connected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** @return why the server is out of reach, or {@code null} when connected */
    String error() {
        return error;
    }

    /** @return the address as logs show it */
    String address() {
        return settings.toString();
    }

    /** Closes the connection; published acknowledgements and acks already written are flushed first. */
    void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.flush(Duration.ofSeconds(1));
            } catch (RuntimeException | java.util.concurrent.TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- ConnectionListener: on the client's thread: record, hand on ------------------------------------------

    @Override
    public void connectionEvent(Connection conn, ConnectionListener.Events type) {
        switch (type) {
        case CONNECTED:
        case RECONNECTED:
            if (closed) {
                return;
            }
            try {
                if (jetStream == null) {
                    JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(timeout).build();
                    management = conn.jetStreamManagement(jso);
                    jetStream = conn.jetStream(jso);
                }
            } catch (IOException e) {
                error = "JetStream is not available on " + settings + ": " + ConnectionSettings.mask(e.getMessage());
                LOG.error("pipeline '{}': {}", pipeline, error);
                return;
            }
            connection = conn;
            if (error != null && type == ConnectionListener.Events.RECONNECTED) {
                LOG.info("pipeline '{}': connection to {} restored", pipeline, settings);
            }
            error = null;
            firstConnect.countDown();
            try {
                owner.execute(events::opened);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the driver stopped meanwhile
            }
            break;
        case DISCONNECTED:
            if (!closed) {
                connection = conn;
                error = "connection to " + settings + " lost; reconnecting";
                LOG.warn("pipeline '{}': {}", pipeline, error);
            }
            break;
        case CLOSED:
            if (!closed) {
                error = "connection to " + settings + " closed";
            }
            break;
        default:
            break;
        }
    }

    // ---- ErrorListener: the client's asynchronous errors, quietly -------------------------------------------

    @Override
    public void errorOccurred(Connection conn, String message) {
        String text = ConnectionSettings.mask(message);
        if (connection == null) {
            error = "cannot connect to " + settings + ": " + text;
        }
        LOG.warn("pipeline '{}': NATS server {} reports: {}", pipeline, settings, text);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        if (connection == null && !closed) {
            error = "cannot connect to " + settings + ": " + ConnectionSettings.mask(String.valueOf(exp.getMessage()));
        }
        LOG.debug("pipeline '{}': NATS client: {}", pipeline, ConnectionSettings.mask(String.valueOf(exp)));
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOG.debug("pipeline '{}': NATS client reports a slow consumer", pipeline);
    }

    @Override
    public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence,
            long lastConsumerSequence) {
        LOG.debug("pipeline '{}': heartbeat alarm of the consumer; the client pulls again", pipeline);
    }

    @Override
    public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
        LOG.debug("pipeline '{}': pull status {}", pipeline, status);
    }

    @Override
    public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
        LOG.debug("pipeline '{}': pull status {}", pipeline, status);
    }
}
