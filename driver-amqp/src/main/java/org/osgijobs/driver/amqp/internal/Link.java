package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * The owner of a pipeline's channels on a {@link SharedConnection}. It gets the connection (opened by the first
 * pipeline that needs it), declares the exchange (and the queue, when the pipeline has one), opens the publishing
 * channel, and hands the {@link Session} to the driver. When the connection or one of the pipeline's channels is
 * lost, or the first attempt fails, it retries with backoff (from 100 ms, doubling, at most every 5 s or
 * {@code redial_timeout}, whichever is shorter) until it succeeds or the link is closed; an outage longer than
 * {@code redial_timeout} is logged as an error. All of this happens on the shared connection's thread, one step at
 * a time: the pipelines on one connection need one such thread, not one each.
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
    private final Connections connections;
    private final SharedConnection shared;
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

    Link(String pipeline, ConnectionSettings settings, Connections connections, PipelineOptions options,
            Events events) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.connections = connections;
        this.topology = new Topology(options);
        this.declareQueue = options.hasQueue();
        this.redialTimeoutNanos = TimeUnit.SECONDS.toNanos(options.redialTimeoutSeconds);
        this.events = events;
        this.shared = connections.acquire(settings, options.timeoutSeconds);
        this.thread = shared.thread();
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

    /**
     * Closes the link: no more reconnection, the session's channels are closed, and the shared connection loses a
     * user (the last one closes it).
     */
    void close() {
        Session last;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
            current = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (last != null) {
            last.close(1000);
        }
        // a step of this link still queued on the shared thread sees the link closed and does nothing
        connections.release(shared);
    }

    /** @return the name of the shared connection, as the broker shows it */
    String connectionName() {
        return shared.name();
    }

    private void attempt() {
        if (isClosed()) {
            return;
        }
        Connection connection = null;
        Channel declarations = null;
        Channel publishing = null;
        try {
            connection = shared.connect();
            declarations = Session.open(connection);
            topology.declareExchange(declarations);
            if (declareQueue) {
                topology.declareQueue(declarations);
            }
            publishing = Session.open(connection);
            publishing.confirmSelect();
            Session session = install(connection, publishing, declarations);
            if (session == null) {
                abort(declarations, publishing);
                return;
            }
            session.watch(cause -> lost(session, cause));
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
            failed(connection, e, declarations, publishing);
        }
    }

    private static void abort(Channel... channels) {
        for (Channel c : channels) {
            if (c != null) {
                try {
                    c.abort();
                } catch (IOException | RuntimeException e) {
                    // closed already
                }
            }
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

    private void failed(Connection connection, Exception e, Channel declarations, Channel publishing) {
        Session installed = session();
        if (installed != null && installed.connection == connection && installed.publishChannel == publishing) {
            // the session was already handed out: lose it the normal way
            lost(installed, e);
            return;
        }
        // only this pipeline's channels: the connection is shared, and its own loss reaches every link
        abort(declarations, publishing);
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
