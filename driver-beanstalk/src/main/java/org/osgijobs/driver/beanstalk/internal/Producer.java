package org.osgijobs.driver.beanstalk.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.JobsException;

/**
 * The pipeline's producing connection: it {@code use}s the tube and puts jobs, many in flight at once (the protocol
 * answers in order). When the connection is down the next put opens a new one; the opening runs on the producer's
 * own thread and every put waiting for it shares it, so no lock is held around network calls. A put answers within
 * the pipeline's {@code timeout} or fails naming the server.
 */
final class Producer {
    private final String pipeline;
    private final ConnectionSettings settings;
    private final String tube;
    private final int timeoutSeconds;
    private final java.util.concurrent.ScheduledExecutorService connector;
    /** Writes the buffered puts to the socket: one write for all the puts sent meanwhile. */
    private final java.util.concurrent.ExecutorService flusher;
    private final AtomicReference<CompletableFuture<BeanstalkConnection>> current = new AtomicReference<>();
    private volatile boolean closed;
    /** Puts sent and not yet answered: closing waits for them. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    Producer(String pipeline, ConnectionSettings settings, String tube, int timeoutSeconds) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.tube = tube;
        this.timeoutSeconds = timeoutSeconds;
        this.connector = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                new NamedThreads("beanstalk-" + pipeline + "-producer"));
        this.flusher = java.util.concurrent.Executors.newSingleThreadExecutor(
                new NamedThreads("beanstalk-" + pipeline + "-producer-flusher"));
        // one sweep for the answers of all puts, instead of a timer per put
        connector.scheduleWithFixedDelay(this::abandonIfLate, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Puts a body into the tube.
     *
     * @return the new job's id once beanstalkd answered {@code INSERTED}; else fails with a {@link JobsException}
     */
    CompletableFuture<Long> put(long priority, long delay, long ttr, byte[] body, org.osgijobs.api.Message what) {
        CompletableFuture<BeanstalkConnection> connecting = connection();
        CompletableFuture<Long> stored;
        if (connecting.isDone() && !connecting.isCompletedExceptionally()) {
            stored = putOn(connecting.join(), priority, delay, ttr, body); // connected: the common case
        } else {
            stored = connecting.thenCompose(c -> putOn(c, priority, delay, ttr, body))
                    .orTimeout(timeoutSeconds, TimeUnit.SECONDS); // connecting included
        }
        inFlight.incrementAndGet();
        return stored.handle((id, error) -> {
            inFlight.decrementAndGet();
            if (error == null) {
                return id;
            }
            // described only on failure: a string per push costs more than the push's own work here
            throw new CompletionException(failure("job '" + what.name() + "' (" + what.id() + ")", unwrap(error)));
        });
    }

    private static CompletableFuture<Long> putOn(BeanstalkConnection c, long priority, long delay, long ttr,
            byte[] body) {
        return c.put(priority, delay, ttr, body);
    }

    /** On the producer's thread: a put unanswered for longer than the timeout fails them all (and reconnects). */
    private void abandonIfLate() {
        CompletableFuture<BeanstalkConnection> c = current.get();
        if (c != null && c.isDone() && !c.isCompletedExceptionally()) {
            BeanstalkConnection connection = c.join();
            if (connection.overdue(TimeUnit.SECONDS.toNanos(timeoutSeconds))) {
                connection.abandon("no answer to a put within " + timeoutSeconds + " s (timeout)");
            }
        }
    }

    /** @return the tube's statistics from the server */
    Map<String, String> statsTube() throws IOException {
        try {
            // a state read waits for a connection a few seconds at most: an unreachable server is a state too
            int connectWait = Math.min(timeoutSeconds, 5);
            return connection().get(connectWait, TimeUnit.SECONDS).statsTube(tube, timeoutSeconds * 1000L);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = unwrap(e);
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("no connection to beanstalkd at " + settings + " within "
                    + Math.min(timeoutSeconds, 5) + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    /** Refuses new puts, waits (up to the timeout, at most 5 s) for the answers to those sent, then disconnects. */
    void close() {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(5, timeoutSeconds));
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CompletableFuture<BeanstalkConnection> c = current.getAndSet(null);
        if (c != null) {
            c.thenAccept(BeanstalkConnection::close);
        }
        connector.shutdownNow();
        flusher.shutdown();
    }

    private CompletableFuture<BeanstalkConnection> connection() {
        while (true) {
            CompletableFuture<BeanstalkConnection> c = current.get();
            if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isOpen()))) {
                return c;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE,
                        "pipeline '" + pipeline + "' is stopped"));
            }
            CompletableFuture<BeanstalkConnection> next = new CompletableFuture<>();
            if (current.compareAndSet(c, next)) {
                try {
                    connector.execute(() -> open(next));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    next.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '"
                            + pipeline + "' is stopped"));
                }
                return next;
            }
        }
    }

    private void open(CompletableFuture<BeanstalkConnection> next) {
        BeanstalkConnection c = null;
        try {
            c = BeanstalkConnection.open(settings.host, settings.port, Math.min(timeoutSeconds, 10) * 1000,
                    "beanstalk-" + pipeline + "-producer-reader", flusher);
            c.use(tube, timeoutSeconds * 1000L);
            next.complete(c);
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close();
            }
            next.completeExceptionally(e);
        }
    }

    private JobsException failure(String what, Throwable error) {
        if (error instanceof JobsException) {
            return (JobsException) error;
        }
        if (error instanceof TimeoutException) {
            return new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': " + what
                    + ": beanstalkd at " + settings + " did not answer within " + timeoutSeconds + " s (timeout)");
        }
        if (error instanceof BeanstalkConnection.AnswerLost) {
            return new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': " + what
                    + ": beanstalkd may have stored it: " + error.getMessage(), error);
        }
        if (error instanceof BeanstalkConnection.ProtocolException) {
            return new JobsException(JobsException.Kind.REJECTED, "pipeline '" + pipeline + "': " + what + ": "
                    + error.getMessage());
        }
        return new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': " + what + ": "
                + error.getMessage(), error);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
