package org.osgijobs.driver.nats.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.JobsException;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

/**
 * JetStream publishes of one pipeline, each acknowledged by the server before its stage completes, many in flight at
 * once: up to {@code publish_window} wait for their acknowledgement, as many more wait in line (for room, or for the
 * first connection and the stream), and beyond both a publish is refused at once, so that a push never blocks its caller. A publish
 * not acknowledged within {@code timeout} fails, naming the server (without credentials) and what was wrong.
 */
final class Publisher {

    /** One publish on its way. */
    private static final class Outgoing {
        final String subject;
        final Headers headers;
        final byte[] body;
        final String what;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        /** Set by whoever finishes the publish first: its slot is freed before its caller learns the outcome. */
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        final long deadlineNanos;

        Outgoing(String subject, Headers headers, byte[] body, String what, long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            this.subject = subject;
            this.headers = headers;
            this.body = body;
            this.what = what;
        }
    }

    private final Link link;
    /** Every publish must land in the pipeline's stream: a subject another stream took is an error, not a loss. */
    private final PublishOptions expectStream;
    private final int timeoutSeconds;
    private final int window;
    /**
     * Every publish not finished yet, oldest first: all have the same timeout, so this is also deadline order, and
     * one sweep every {@value #SWEEP_MILLIS} ms times them out (a timer task per publish cost more than the publish).
     */
    private final java.util.Queue<Outgoing> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
    static final long SWEEP_MILLIS = 200;
    /** Whether publishing can start: connected once and the stream prepared. */
    private final java.util.function.BooleanSupplier ready;
    // guarded by this
    private int admitted;
    private boolean closed;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();

    Publisher(Link link, String stream, int timeoutSeconds, int window, ScheduledExecutorService timers,
            java.util.function.BooleanSupplier ready) {
        this.link = link;
        this.ready = ready;
        this.expectStream = PublishOptions.builder().expectedStream(stream).build();
        this.timeoutSeconds = timeoutSeconds;
        this.window = window;
        timers.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @param what the job, for error messages
     * @return completes when the server stored the message in the pipeline's stream
     */
    CompletableFuture<Void> publish(String subject, Headers headers, byte[] body, String what) {
        Outgoing out = new Outgoing(subject, headers, body, what,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds));
        boolean sendNow;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE, what
                        + " was not stored: the pipeline's driver stopped"));
            }
            sendNow = admitted < window && ready.getAsBoolean();
            if (sendNow) {
                admitted++;
            } else if (waiting.size() >= window) {
                return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE, what
                        + " was refused: " + window + " publishes wait for the server's acknowledgement and as many"
                        + " in line (publish_window " + window + "); retry later"));
            } else {
                waiting.add(out);
            }
        }
        pending.add(out);
        if (sendNow) {
            send(out);
        }
        return out.result;
    }

    /** The connection is there (again): what waits for it goes out, as far as the window allows. */
    void wake() {
        List<Outgoing> go = new ArrayList<>();
        synchronized (this) {
            while (!closed && admitted < window && ready.getAsBoolean() && !waiting.isEmpty()) {
                Outgoing next = waiting.poll();
                if (!next.finished.get()) {
                    admitted++;
                    go.add(next);
                }
            }
        }
        go.forEach(this::send);
    }

    /** Refuses what still waits in line; publishes in flight keep their own timeout. */
    void close() {
        List<Outgoing> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Outgoing out : left) {
            if (!out.finished.compareAndSet(false, true)) {
                continue;
            }
            out.result.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, out.what
                    + " was not stored: the pipeline's driver stopped before the server was reachable"));
        }
    }

    private void send(Outgoing out) {
        JetStream js = link.jetStream();
        CompletableFuture<PublishAck> ack;
        try {
            ack = js.publishAsync(out.subject, out.headers, out.body, expectStream);
        } catch (RuntimeException e) {
            fail(out, e);
            return;
        }
        ack.whenComplete((publishAck, failure) -> {
            if (failure != null) {
                fail(out, failure);
            } else if (out.finished.compareAndSet(false, true)) {
                release(); // first: a caller that pushes again on completion must find the room
                out.result.complete(null);
            }
        });
    }

    private void fail(Outgoing out, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String why = cause instanceof JetStreamApiException
                ? ((JetStreamApiException) cause).getErrorDescription() + " ("
                        + ((JetStreamApiException) cause).getApiErrorCode() + ")"
                : ConnectionSettings.mask(String.valueOf(cause.getMessage()));
        if (why.contains("503") || why.toLowerCase(java.util.Locale.ROOT).contains("no responders")) {
            why = "no stream takes subject '" + out.subject + "' on " + link.address();
        }
        if (out.finished.compareAndSet(false, true)) {
            release();
            out.result.completeExceptionally(new JobsException(JobsException.Kind.REJECTED, out.what
                    + " was not stored by " + link.address() + ": " + why));
        }
    }

    /** On the timer thread: fails the publishes whose deadline passed, forgets the finished ones. */
    private void sweep() {
        long now = System.nanoTime();
        for (Outgoing out; (out = pending.peek()) != null;) {
            if (!out.finished.get() && now - out.deadlineNanos < 0) {
                return;
            }
            pending.poll();
            if (!out.finished.get()) {
                timedOut(out);
            }
        }
    }

    private void timedOut(Outgoing out) {
        if (!out.finished.compareAndSet(false, true)) {
            return;
        }
        boolean wasWaiting;
        synchronized (this) {
            wasWaiting = waiting.remove(out);
        }
        if (!wasWaiting) {
            release();
        }
        String error = link.error();
        out.result.completeExceptionally(new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, out.what
                + " was not stored within " + timeoutSeconds + " s (timeout): "
                + (error != null ? error : "no acknowledgement from " + link.address())));
    }

    /** A publish in the window finished: the first waiting one takes its place. */
    private void release() {
        Outgoing next = null;
        synchronized (this) {
            admitted--;
            while (!waiting.isEmpty() && ready.getAsBoolean() && admitted < window) {
                Outgoing candidate = waiting.poll();
                if (!candidate.finished.get()) {
                    admitted++;
                    next = candidate;
                    break;
                }
            }
        }
        if (next != null) {
            send(next);
        }
    }
}
