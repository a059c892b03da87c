package org.osgijobs.driver.nats.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.impl.NatsJetStreamMetaData;

/**
 * The pipeline's durable consumer as seen from this runtime: it pulls deliveries (at most {@code prefetch}
 * unacknowledged, the consumer's max ack pending, shared with every other runtime on the pipeline), turns them into
 * {@link NatsJob}s in the runtime's queue, keeps them alive with in-progress signals while they wait or run, and
 * settles them. Subscribing and unsubscribing happen on the driver's control thread; deliveries arrive on the
 * client's dispatcher thread of this consumer, which is this driver's own and may block on the queue.
 */
final class Consumption {
    private static final Logger LOG = LoggerFactory.getLogger(Consumption.class);

    /** What the driver does for a consumption. */
    interface Host {
        /** Publishes a copy of the job with new headers (through the delay subject when delayed). */
        CompletableFuture<Void> republish(NatsJob job, Map<String, List<String>> headers, int delay);

        /** Deletes a message from the stream ({@code delete_after_ack}). */
        void delete(long sequence) throws IOException, JetStreamApiException;

        /** @return whether the driver stopped: a requeue then leaves the job to the server */
        boolean isStopped();
    }

    private final PipelineOptions options;
    private final Queue queue;
    private final Host host;
    private final Set<NatsJob> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reserved = new AtomicInteger();
    private volatile MessageConsumer consumer;
    /** Stopped subscriptions whose last pull requests may still bring deliveries. */
    private final java.util.Queue<MessageConsumer> draining = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Deliveries taken back from the runtime's queue while not consuming, not yet given back to the server. */
    private final java.util.Queue<NatsJob> parked = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean accepting;

    Consumption(PipelineOptions options, Queue queue, Host host) {
        this.options = options;
        this.queue = queue;
        this.host = host;
    }

    /**
     * How long one pull request lives on the server. A pull request cannot be cancelled on NATS 2.9: one left by a
     * stopped subscription takes deliveries until it expires, so the subscription is stopped (not closed) and keeps
     * reading until then, handing back what it gets.
     */
    static final long PULL_EXPIRES_MILLIS = 2000;
    /** How soon a delivery that arrives while paused is delivered again. */
    private static final Duration PAUSED_REDELIVERY = Duration.ofMillis(250);

    /** On the control thread: (re)subscribes to the durable consumer. */
    void subscribe(Connection connection) throws IOException, JetStreamApiException {
        MessageConsumer old = consumer;
        if (old != null) {
            old.stop(); // its pull requests end by themselves; what they still bring is handled as usual
            draining.add(old);
        }
        ConsumerContext context = connection.getConsumerContext(options.stream, options.consumer);
        accepting = true;
        consumer = context.consume(ConsumeOptions.builder().batchSize(options.prefetch)
                .expiresIn(PULL_EXPIRES_MILLIS).build(), this::deliver);
        unpark();
    }

    /** @return whether it is subscribed */
    boolean subscribed() {
        return accepting;
    }

    /**
     * On the control thread: stops pulling and takes back every delivery no worker has taken. They stay with this
     * runtime (kept alive by in-progress signals) until {@link #releaseParked()} gives them back to the server, once
     * the stopped subscription's pull requests have ended (a nak before would send them straight to that pull, whose
     * subscription no longer reads: they would come back only after {@code ack_wait}), or until consuming resumes.
     */
    void unsubscribe() {
        accepting = false;
        MessageConsumer c = consumer;
        consumer = null;
        if (c != null) {
            c.stop();
            draining.add(c);
        }
        for (Job job : queue.withdraw()) {
            if (job instanceof NatsJob && ((NatsJob) job).owner == this) {
                parked.add((NatsJob) job);
            } else if (!queue.offer(job)) {
                LOG.error("pipeline '{}': job {} of another driver could not be put back into the queue",
                        options.pipeline, job.id());
            }
        }
    }

    /** On the control thread, when consuming does not resume: the parked deliveries go back to the server. */
    void releaseParked() {
        int back = 0;
        for (NatsJob job; (job = parked.poll()) != null;) {
            if (job.markSettled()) {
                outstanding.remove(job);
                nakQuietly(job.delivery);
                back++;
            }
        }
        if (back > 0) {
            LOG.debug("pipeline '{}': {} jobs not taken went back to the server", options.pipeline, back);
        }
    }

    /** On the control thread, when consuming resumes: the parked deliveries go back into the runtime's queue. */
    private void unpark() {
        for (NatsJob job; (job = parked.poll()) != null;) {
            if (!job.isSettled() && !queue.offer(job) && job.markSettled()) {
                outstanding.remove(job);
                nakQuietly(job.delivery);
            }
        }
    }

    /**
     * At stop, before the connection closes: waits (at most a pull's lifetime) until the stopped subscriptions'
     * pull requests ended, so that the server sends nothing more to this runtime; then closes them.
     */
    void closeDrained(long deadlineNanos) throws InterruptedException {
        for (MessageConsumer c : draining) {
            while (!c.isFinished() && System.nanoTime() - deadlineNanos < 0) {
                Thread.sleep(20);
            }
            closeQuietly(c);
        }
        draining.clear();
    }

    /** On the dispatcher thread: one delivery. */
    private void deliver(Message m) throws InterruptedException {
        if (!accepting) {
            try {
                m.nakWithDelay(PAUSED_REDELIVERY);
            } catch (RuntimeException e) {
                // no connection: the server delivers it again after ack_wait
            }
            return;
        }
        NatsJob job;
        try {
            NatsJetStreamMetaData meta = m.metaData();
            WireFormat.Decoded decoded = WireFormat.decode(m.getData(), m.getHeaders(), m.getSubject(),
                    options.priority, () -> WireFormat.fallbackId(meta.getStream(), meta.streamSequence()));
            if (decoded.delay() > 0) {
                long remaining = meta.timestamp().toInstant().toEpochMilli() + decoded.delay() * 1000L
                        - System.currentTimeMillis();
                if (remaining > 0) {
                    m.nakWithDelay(Duration.ofMillis(remaining)); // a delayed job on the pipeline's own subject
                    return;
                }
            }
            if (decoded.foreign()) {
                LOG.warn("pipeline '{}': message {} of stream '{}' is not RoadRunner's JSON: it runs as '{}' with"
                        + " its raw body as payload", options.pipeline, meta.streamSequence(), meta.getStream(),
                        WireFormat.DEDUCED_NAME);
            } else if (!decoded.problems().isEmpty()) {
                LOG.warn("pipeline '{}': message {} of stream '{}' ({}): {}; defaults used", options.pipeline,
                        meta.streamSequence(), meta.getStream(), decoded.id(), String.join(", ", decoded.problems()));
            }
            job = new NatsJob(decoded, options.pipeline, m, meta.streamSequence(), this);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("pipeline '{}': a message on '{}' cannot be read at all ({}); it is terminated, not delivered"
                    + " again", options.pipeline, m.getSubject(), e.toString());
            termQuietly(m);
            return;
        }
        if (job.autoAck()) {
            try {
                m.ack();
                if (options.deleteAfterAck) {
                    host.delete(job.sequence);
                }
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.warn("pipeline '{}': {} (auto_ack) could not be acknowledged: {}", options.pipeline, job,
                        e.toString());
            }
        } else {
            outstanding.add(job);
        }
        try {
            queue.insert(job);
        } catch (InterruptedException e) {
            outstanding.remove(job);
            if (!job.autoAck()) {
                nakQuietly(m);
            }
            throw e;
        }
    }

    /** Keeps every unsettled delivery alive: the server does not deliver it again while it waits or runs. */
    void touchAll() {
        for (NatsJob job : outstanding) {
            if (!job.isSettled()) {
                try {
                    job.delivery.inProgress();
                } catch (RuntimeException e) {
                    return; // no connection: the server will deliver it again after ack_wait, the ack is skipped
                }
            }
        }
    }

    void taken(NatsJob job) {
        reserved.incrementAndGet();
    }

    /** @return jobs taken by workers and not settled yet */
    int reserved() {
        return Math.max(0, reserved.get());
    }

    /** @return deliveries not settled yet (waiting in the runtime's queue or running) */
    int outstanding() {
        return outstanding.size();
    }

    /** Waits until no taken job is unsettled, up to the deadline. */
    boolean awaitSettled(long deadlineNanos) throws InterruptedException {
        while (reserved() > 0) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    // ---- settlements: on the runtime's worker threads ---------------------------------------------------------

    Custody ack(NatsJob job) {
        done(job);
        if (job.autoAck()) {
            return Custody.DONE; // acknowledged when it arrived
        }
        try {
            job.delivery.ack();
        } catch (RuntimeException e) {
            return Custody.BROKER; // no connection: the server delivers it again after ack_wait
        }
        if (options.deleteAfterAck) {
            try {
                host.delete(job.sequence);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                LOG.warn("pipeline '{}': {} acknowledged but not deleted (delete_after_ack): {}", options.pipeline,
                        job, e.toString());
            }
        }
        return Custody.DONE;
    }

    Custody reject(NatsJob job) {
        done(job);
        if (!job.autoAck()) {
            try {
                job.delivery.term();
            } catch (RuntimeException e) {
                return Custody.BROKER;
            }
        }
        return Custody.DONE;
    }

    Custody requeue(NatsJob job, Map<String, List<String>> headers, int delay) {
        try {
            if (host.isStopped()) {
                if (job.autoAck()) {
                    return Custody.RUNTIME; // the server no longer has it and cannot take a copy now
                }
                nakQuietly(job.delivery);
                return Custody.BROKER;
            }
            try {
                host.republish(job, headers, delay).get(options.timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("pipeline '{}': the requeued copy of {} was not stored ({}); the server delivers the"
                        + " original again", options.pipeline, job, e.getCause() != null ? e.getCause().getMessage()
                                : e.toString());
                if (job.autoAck()) {
                    return Custody.RUNTIME;
                }
                nakQuietly(job.delivery);
                return Custody.BROKER;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (job.autoAck()) {
                    return Custody.RUNTIME;
                }
                nakQuietly(job.delivery);
                return Custody.BROKER;
            }
            if (!job.autoAck()) {
                try {
                    job.delivery.ack();
                    if (options.deleteAfterAck) {
                        host.delete(job.sequence);
                    }
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    LOG.debug("pipeline '{}': original of requeued {} not acknowledged: {}", options.pipeline, job,
                            e.toString());
                }
            }
            return Custody.DRIVER;
        } finally {
            done(job);
        }
    }

    private void done(NatsJob job) {
        if (outstanding.remove(job) || job.autoAck()) {
            if (job.isTaken()) {
                reserved.decrementAndGet();
            }
        }
    }

    /** @return the deliveries still unsettled, now given up (stop) */
    List<NatsJob> outstandingJobs() {
        return new ArrayList<>(outstanding);
    }

    private static void nakQuietly(Message m) {
        try {
            m.nak();
        } catch (RuntimeException e) {
            // no connection: the server delivers it again after ack_wait
        }
    }

    private static void termQuietly(Message m) {
        try {
            m.term();
        } catch (RuntimeException e) {
            // no connection: it comes back and is terminated then
        }
    }

    /**
     * Unsubscribes at once (not {@code stop()}, which keeps the pull request open until it expires: the server would
     * send the jobs given back to a subscription that no longer reads them, and deliver them again only after
     * {@code ack_wait}).
     */
    static void closeQuietly(io.nats.client.MessageConsumer c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a consumer of a lost connection: nothing to undo
        }
    }
}
