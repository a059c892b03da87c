package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * One TCP connection to the broker that the {@link Link}s of every pipeline with the same settings share, each
 * with channels of its own. It also owns the one thread that runs those links' connection work (connect, declare,
 * recover), so that connecting never races: {@link #connect()} runs on that thread only. Users are counted by
 * {@link Connections}, which closes the connection and the thread when the last one leaves.
 */
final class SharedConnection {
    /**
     * A connection attempt that failed this recently is not repeated for the next link: during an outage the
     * links' retries would otherwise each wait out a connection timeout, one after the other on the shared thread.
     */
    private static final long REUSE_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String name;
    private final ConnectionFactory factory;
    private final ScheduledExecutorService thread;

    private volatile boolean closed;
    /** Written on the link thread only; read by {@link #close()}. */
    private volatile Connection connection;
    // link thread only
    private Exception lastFailure;
    private long lastFailureNanos;

    /**
     * @param name              the connection's name, shown by the broker ({@code rabbitmqctl list_connections})
     * @param settings          where and how to connect
     * @param rpcTimeoutSeconds how long a broker operation may take (a connection-wide setting in the client)
     */
    SharedConnection(String name, ConnectionSettings settings, int rpcTimeoutSeconds) {
        this.name = name;
        this.factory = settings.newFactory(rpcTimeoutSeconds);
        // the client runs consumers on its own per-connection executor, made by this thread factory, and shuts
        // it down with the connection
        this.factory.setThreadFactory(new NamedThreads("amqp-" + name + "-io"));
        this.factory.setExceptionHandler(new ClientExceptions(name));
        this.thread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("amqp-" + name + "-link"));
    }

    /** @return the thread that runs the connection work of every link on this connection */
    ScheduledExecutorService thread() {
        return thread;
    }

    /** @return the name the broker shows for this connection */
    String name() {
        return name;
    }

    /**
     * On the link thread only: the open connection, opened now if there is none.
     *
     * @throws IOException when it is closed or the broker cannot be reached (a failure of the last
     *                     {@value #REUSE_FAILURE_NANOS} ns is reported again without a new attempt)
     */
    Connection connect() throws IOException, TimeoutException {
        Connection c = connection;
        if (c != null && c.isOpen()) {
            return c;
        }
        if (closed) {
            throw new IOException("the shared connection " + name + " is closed");
        }
        if (lastFailure != null && System.nanoTime() - lastFailureNanos < REUSE_FAILURE_NANOS) {
            rethrow(lastFailure);
        }
        try {
            c = factory.newConnection(name);
        } catch (IOException | TimeoutException | RuntimeException e) {
            lastFailure = e;
            lastFailureNanos = System.nanoTime();
            throw e;
        }
        lastFailure = null;
        connection = c;
        if (closed) {
            // the last user left while this attempt was under way
            c.abort(1000);
            throw new IOException("the shared connection " + name + " is closed");
        }
        return c;
    }

    /** @return whether a connection is open now */
    boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** Closes the connection and stops the thread: called once the last user left. */
    void close() {
        closed = true;
        thread.shutdownNow();
        Connection c = connection;
        if (c != null) {
            try {
                c.close(1000);
            } catch (IOException | RuntimeException e) {
                c.abort(1000);
            }
        }
    }

    private static void rethrow(Exception e) throws IOException, TimeoutException {
        if (e instanceof IOException) {
            throw (IOException) e;
        }
        if (e instanceof TimeoutException) {
            throw (TimeoutException) e;
        }
        throw (RuntimeException) e;
    }
}
