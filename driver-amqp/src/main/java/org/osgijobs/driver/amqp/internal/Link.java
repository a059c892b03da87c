package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The one owner of a pipeline's connection. It connects, declares the exchange (and the queue, when the pipeline
 * has one), opens the publishing channel, and hands the {@link Session} to the driver. When the connection or one
 * of its channels is lost, or the first connection fails, it retries with backoff (from 100 ms, doubling, at most
 * every 5 s or {@code redial_timeout}, whichever is shorter) until it succeeds or the link is closed; an outage
 * longer than {@code redial_timeout} is logged as an error. All of this happens on the link's own thread, one step
 * at a time.
 */
final class Link {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5000;

    /** What the driver does when a session comes or goes; called on the link thread. */
    interface Events {
        /** The session is installed; restore consumption. A failure loses the session and retries. */
        void opened(Session session) throws IOException;

        /** The session is gone: drop what depended on it. */
        void lost(Session session);
    }

    private final String pipeline;
    private final ConnectionSettings settings;
    private final ConnectionFactory factory;
    private final Topology topology;
    private final boolean declareQueue;
    private final long redialTimeoutNanos;
    private final Events events;
    private final ScheduledExecutorService thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private Session current;
    private String error = "";
    private boolean closed;
    private long generation;

    /** Set by the first attempt when the broker refused the topology; read after {@link #start()}. */
    private volatile String startRefusal;
    private boolean starting;

    // link thread only
    private int failures;
    private long outageStartNanos;
    private boolean outageReported;

    Link(String pipeline, ConnectionSettings settings, PipelineOptions options, Events events) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.topology = new Topology(options);
        this.declareQueue = options.hasQueue();
        this.redialTimeoutNanos = TimeUnit.SECONDS.toNanos(options.redialTimeoutSeconds);
        this.events = events;
        this.factory = settings.newFactory(options.timeoutSeconds);
        this.factory.setThreadFactory(new NamedThreads("amqp-" + pipeline + "-io"));
        this.factory.setExceptionHandler(new ClientExceptions(pipeline));
        this.thread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("amqp-" + pipeline + "-link"));
    }

    /**
     * Connects once, waiting for the outcome, so that a reachable broker is ready when this returns. A failure is
     * recorded in {@link #error()} and retried in the background.
     */
    void start() {
        try {
            thread.submit(() -> {
                starting = true;
                try {
                    attempt();
                } finally {
                    starting = false;
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("pipeline '{}': unexpected failure while connecting", pipeline, e.getCause());
        }
    }

    /**
     * @return what the broker refused in the first attempt (a declaration of the pipeline's exchange or queue), or
     *         {@code null}: a refusal is a configuration error, not an outage
     */
    String refusal() {
        return startRefusal;
    }

    /** @return the live session, or {@code null} while there is none */
    Session session() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param deadlineNanos until when to wait ({@link System#nanoTime()} scale)
     * @return the live session, or {@code null} when none came in time or the link is closed
     */
    Session awaitSession(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (current == null && !closed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(left);
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** @return why there is no session, or empty while connected */
    String error() {
        lock.lock();
        try {
            return error;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports that a session failed (its connection or a channel closed, its consumer was cancelled). The first
     * report wins; recovery then runs on the link thread.
     *
     * @param session the session
     * @param cause   what happened
     */
    void lost(Session session, Throwable cause) {
        if (!session.markLost()) {
            return;
        }
        try {
            thread.execute(() -> recover(session, cause));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            session.abort();
        }
    }

    /** Closes the link: no more reconnection, the session's connection is closed. */
    void close() {
        Session last;
        lock.lock();
        try {
            closed = true;
            last = current;
            current = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.shutdownNow();
        if (last != null) {
            last.close(1000);
        }
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void attempt() {
        if (isClosed()) {
            return;
        }
        Connection connection = null;
        try {
            // the client runs consumers on its own per-connection executor, made by our thread factory, and shuts
            // it down with the connection
            connection = factory.newConnection("osgijobs-" + pipeline);
            Channel declarations = connection.createChannel();
            topology.declareExchange(declarations);
            if (declareQueue) {
                topology.declareQueue(declarations);
            }
            Channel publishing = connection.createChannel();
            publishing.confirmSelect();
            Session session = install(connection, publishing, declarations);
            if (session == null) {
                connection.abort(1000);
                return;
            }
            connection.addShutdownListener(cause -> lost(session, cause));
            publishing.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    lost(session, cause);
                }
            });
            if (!connection.isOpen() || !publishing.isOpen()) {
                lost(session, new IOException("connection closed while it was set up"));
                return;
            }
            events.opened(session);
            if (failures > 0) {
                LOG.info("pipeline '{}': connected again to {} after {} failed attempts", pipeline, settings,
                        failures);
            } else {
                LOG.debug("pipeline '{}': connected to {}", pipeline, settings);
            }
            failures = 0;
            outageStartNanos = 0;
            outageReported = false;
        } catch (IOException | TimeoutException | RuntimeException e) {
            failed(connection, e);
        }
    }

    private Session install(Connection connection, Channel publishing, Channel declarations) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            current = new Session(++generation, connection, publishing, declarations);
            error = "";
            changed.signalAll();
            return current;
        } finally {
            lock.unlock();
        }
    }

    private void failed(Connection connection, Exception e) {
        Session installed = session();
        if (installed != null && installed.connection == connection) {
            // the session was already handed out: lose it the normal way
            lost(installed, e);
            return;
        }
        if (connection != null) {
            connection.abort(1000);
        }
        String why = BrokerErrors.describe(e, settings.address());
        if (BrokerErrors.isChannelRefusal(e)) {
            String refusal = "the broker " + settings + " refused the exchange or queue: "
                    + BrokerErrors.brokerReply(e);
            setError(refusal);
            if (starting) {
                startRefusal = refusal; // the driver reports it and closes the link
                return;
            }
        } else {
            setError("no connection to " + settings + ": " + why);
        }
        if (failures == 0) {
            LOG.warn("pipeline '{}': cannot connect to {}: {}; retrying", pipeline, settings, why);
        } else {
            LOG.debug("pipeline '{}': attempt {} to connect to {} failed: {}", pipeline, failures + 1, settings, why);
        }
        scheduleRetry(why);
    }

    private void recover(Session session, Throwable cause) {
        boolean wasCurrent;
        lock.lock();
        try {
            wasCurrent = current == session;
            if (wasCurrent) {
                current = null;
                if (!closed) {
                    error = "connection to " + settings + " lost: "
                            + BrokerErrors.describe(cause, settings.address()) + "; reconnecting";
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        session.abort();
        if (!wasCurrent || isClosed()) {
            return;
        }
        LOG.warn("pipeline '{}': connection to {} lost ({}); reconnecting", pipeline, settings,
                BrokerErrors.describe(cause, settings.address()));
        try {
            events.lost(session);
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': failure while dropping the lost session", pipeline, e);
        }
        scheduleRetry(BrokerErrors.describe(cause, settings.address()));
    }

    private void scheduleRetry(String why) {
        if (isClosed()) {
            return;
        }
        long now = System.nanoTime();
        if (outageStartNanos == 0) {
            outageStartNanos = now;
        }
        if (!outageReported && now - outageStartNanos > redialTimeoutNanos) {
            outageReported = true;
            LOG.error("pipeline '{}': no connection to {} for more than redial_timeout {} s: {}; still retrying",
                    pipeline, settings, TimeUnit.NANOSECONDS.toSeconds(redialTimeoutNanos), why);
        }
        long cap = Math.min(MAX_BACKOFF_MILLIS, TimeUnit.NANOSECONDS.toMillis(redialTimeoutNanos));
        long delay = Math.min(cap, FIRST_BACKOFF_MILLIS << Math.min(failures, 16));
        failures++;
        try {
            thread.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void setError(String message) {
        lock.lock();
        try {
            if (!closed) {
                error = message;
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
