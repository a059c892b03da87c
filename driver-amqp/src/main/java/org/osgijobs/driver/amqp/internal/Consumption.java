package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/**
 * The consuming side of one session: a channel with {@code prefetch}, the subscription to the pipeline's queue,
 * and the settlement of the deliveries it received (ack, reject, requeue), which must happen on that channel. Each
 * settlement answers who keeps the job afterwards ({@link Custody}); none throws.
 * <p>
 * A delivery goes into the runtime's queue on the client's dispatch thread only when it fits at once
 * ({@link Queue#offer}): that thread is shared by every pipeline of the connection and must never block. When the
 * queue is full, deliveries go to a buffer (at most {@code prefetch} long, as the broker sends no more
 * unacknowledged deliveries) and a feeder thread, started then, moves them into the queue, blocking there while it
 * is full; it ends when the buffer stayed empty for {@value #FEEDER_LINGER_MILLIS} ms. So an idle pipeline has no
 * feeder thread. Pausing interrupts the feeder and returns what it still had.
 * <p>
 * When the session is lost, this object is abandoned: settlements of its deliveries are skipped, because the
 * broker delivers every unacknowledged message again ({@link Custody#BROKER}).
 * <p>
 * A requeue after the driver stopped publishes nothing: the original delivery stays with the broker and is
 * delivered again as it was, without the requeue's new headers (see {@link #requeue}). It answers
 * {@link Custody#BROKER}, so that the runtime keeps no copy of its own: one copy survives, not two.
 */
final class Consumption {
    private static final Logger LOG = LoggerFactory.getLogger(Consumption.class);

    /** What a consumption needs from its driver. */
    interface Host {
        /** Publishes a copy of a job into this pipeline's queue, after a delay, with new headers. */
        CompletableFuture<Void> republish(AmqpJob job, Map<String, List<String>> headers, int delay);

        /** @return whether the driver is stopped: jobs can no longer be put back through it */
        boolean isStopped();

        /** The session failed (consumer cancelled by the broker, channel closed). */
        void lost(Session session, Throwable cause);
    }

    /** Turns a delivery into its job's metadata: a {@link DeliveryReader}, or a failing one in tests. */
    interface Reader {
        WireFormat.Decoded read(Envelope envelope, AMQP.BasicProperties properties);
    }

    final Session session;
    private final Channel channel;
    private final String pipeline;
    private final PipelineOptions options;
    private final Queue queue;
    private final Host host;
    private final Reader reader;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final LinkedBlockingDeque<AmqpJob> buffer = new LinkedBlockingDeque<>();
    /** How long a feeder waits for more deliveries before it ends. */
    static final long FEEDER_LINGER_MILLIS = 200;
    /** Guards the feeder's state below; the buffer's order with the direct offers depends on it. */
    private final Object feedLock = new Object();
    private Thread feeder;
    private boolean stopFeeding;
    private final Object ackLock = new Object();
    /** What became of an ack or a nack of one delivery. */
    private enum Sent {
        /** Sent on the channel. */
        SENT,
        /** Nothing sent: a multiple ack of a later delivery acknowledged this one already. */
        COVERED,
        /** The channel failed: the broker delivers the message again. */
        FAILED
    }

    /** With multiple_ack: every delivery up to this tag is acknowledged. Guarded by ackLock. */
    private long coveredUpTo;
    private volatile boolean gone;
    // guarded by the driver's control lock
    private Subscription subscription;

    private Consumption(Session session, Channel channel, String pipeline, PipelineOptions options, Queue queue,
            Host host, Reader reader) {
        this.session = session;
        this.channel = channel;
        this.pipeline = pipeline;
        this.options = options;
        this.queue = queue;
        this.host = host;
        this.reader = reader;
    }

    /** Opens the consuming channel of a session. */
    static Consumption open(Session session, PipelineOptions options, Queue queue, Host host) throws IOException {
        return open(session, options, queue, host, new DeliveryReader(options.pipeline, options.priority)::read);
    }

    /** Opens the consuming channel of a session, reading deliveries with the given reader. */
    static Consumption open(Session session, PipelineOptions options, Queue queue, Host host, Reader reader)
            throws IOException {
        Channel channel = session.openChannel();
        channel.basicQos(options.prefetch);
        Consumption c = new Consumption(session, channel, options.pipeline, options, queue, host, reader);
        channel.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                host.lost(session, cause);
            }
        });
        return c;
    }

    /** Declares the queue and starts consuming it. */
    void subscribe(Topology topology) throws IOException {
        session.topology(ch -> {
            topology.declareQueue(ch);
            return null;
        });
        Subscription sub = new Subscription(channel);
        synchronized (feedLock) {
            stopFeeding = false;
        }
        try {
            channel.basicConsume(options.queue, false, options.consumerId, false, false, null, sub);
        } catch (IOException | RuntimeException e) {
            sub.cancelLocally();
            stopFeeder();
            throw e;
        }
        subscription = sub;
    }

    /** @return whether a subscription is active */
    boolean subscribed() {
        return subscription != null;
    }

    /**
     * Stops consuming. Deliveries that arrive afterwards are rejected back to the queue at once.
     *
     * @return the deliveries received but not yet handed to the runtime's queue; the caller releases them
     */
    List<AmqpJob> unsubscribe() {
        Subscription sub = subscription;
        subscription = null;
        if (sub != null) {
            sub.cancelLocally();
            try {
                if (channel.isOpen()) {
                    channel.basicCancel(sub.getConsumerTag());
                }
            } catch (IOException | AlreadyClosedException e) {
                LOG.debug("pipeline '{}': cancelling the consumer failed: {}", pipeline, e.toString());
            }
        }
        stopFeeder();
        List<AmqpJob> left = new ArrayList<>();
        buffer.drainTo(left);
        return left;
    }

    /** Forgets everything: the session is gone and the broker delivers the unacknowledged messages again. */
    void abandon() {
        gone = true;
        Subscription sub = subscription;
        subscription = null;
        if (sub != null) {
            sub.cancelLocally();
        }
        stopFeeder();
        buffer.clear();
        outstanding.set(0);
        wakeWaiters();
    }

    /** Closes the channel; unacknowledged deliveries go back to the queue. */
    void close() {
        gone = true;
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | AlreadyClosedException e) {
            LOG.debug("pipeline '{}': closing the consuming channel failed: {}", pipeline, e.toString());
        }
        wakeWaiters();
    }

    /** @return deliveries received and not settled yet */
    int outstanding() {
        return outstanding.get();
    }

    /**
     * Waits until every delivery is settled, or the deadline passes.
     *
     * @return {@code true} when all are settled
     */
    boolean awaitSettled(long deadlineNanos) {
        synchronized (this) {
            while (outstanding.get() > 0 && !gone) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return outstanding.get() == 0;
        }
    }

    /**
     * Acknowledges a delivery: {@code basic.ack}, with {@code multiple_ack} of every earlier one too.
     *
     * @return {@link Custody#DONE}, or {@link Custody#BROKER} when the ack could not reach the broker (its channel
     *         is gone), which delivers the message again
     */
    Custody ack(AmqpJob job) {
        if (!job.markSettled()) {
            LOG.warn("pipeline '{}': {} was already settled; ack ignored", pipeline, job);
            return Custody.DONE;
        }
        try {
            if (gone) {
                if (coveredByMultipleAck(job)) {
                    return Custody.DONE;
                }
                LOG.debug("pipeline '{}': {} acked after its channel closed; the broker delivers it again", pipeline,
                        job);
                return Custody.BROKER;
            }
            return sendAck(job) == Sent.FAILED ? Custody.BROKER : Custody.DONE;
        } finally {
            settledOne();
        }
    }

    /**
     * Rejects a delivery: {@code basic.nack} with {@code requeue = requeue_on_fail}.
     *
     * @return {@link Custody#DONE} when it is gone (or a multiple ack acknowledged it already), or
     *         {@link Custody#BROKER} when the broker keeps it and delivers it again: with {@code requeue_on_fail},
     *         or when the nack could not reach the broker
     */
    Custody reject(AmqpJob job) {
        boolean requeue = options.requeueOnFail;
        if (!job.markSettled()) {
            LOG.warn("pipeline '{}': {} was already settled; nack ignored", pipeline, job);
            return Custody.DONE;
        }
        try {
            if (gone) {
                if (coveredByMultipleAck(job)) {
                    return Custody.DONE;
                }
                LOG.debug("pipeline '{}': {} rejected after its channel closed; the broker delivers it again",
                        pipeline, job);
                return Custody.BROKER;
            }
            switch (sendNack(job, requeue)) {
            case SENT:
                return requeue ? Custody.BROKER : Custody.DONE;
            case COVERED:
                return Custody.DONE;
            default:
                return Custody.BROKER;
            }
        } finally {
            settledOne();
        }
    }

    /**
     * Puts a delivery back before it ran (pause, stop): rejected with requeue, or, when a multiple ack already
     * acknowledged it, published again.
     */
    void release(AmqpJob job) {
        if (gone || !job.markSettled()) {
            return;
        }
        try {
            if (sendNack(job, true) == Sent.COVERED) {
                host.republish(job, job.headers(), 0).whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.error("pipeline '{}': {} was acknowledged by a multiple ack and could not be published"
                                + " again: {}", pipeline, job, error.getMessage());
                    }
                });
            }
        } finally {
            settledOne();
        }
    }

    /**
     * Puts a job back with new headers: publishes a copy (through the delay path when delayed), waits for its
     * confirm, then acknowledges the original ({@link Custody#DRIVER}).
     * <p>
     * After the driver stopped, nothing is published: the original stays with the broker, which delivers it again
     * as it was delivered, and the new headers (the attempt count, say) are not kept. When its channel is gone or
     * closing the unacknowledged delivery returns to the queue by itself; when the channel is still open it is
     * rejected with requeue. Either way the answer is {@link Custody#BROKER}, so that the runtime does not keep a
     * second copy. When the copy could not be published, the original goes back to its queue unchanged
     * ({@code basic.nack} with requeue), also {@link Custody#BROKER}.
     * <p>
     * Where the broker no longer holds the original (a multiple ack covered it) and no copy could be published
     * (the driver stopped, or the publish failed), the answer is {@link Custody#RUNTIME}: the runtime keeps the
     * job itself.
     *
     * @return who keeps the job; {@link Custody#DONE} when it was settled already (nothing is done)
     */
    Custody requeue(AmqpJob job, Map<String, List<String>> headers, int delay) {
        if (!job.markSettled()) {
            LOG.warn("pipeline '{}': {} was already settled; requeue ignored", pipeline, job);
            return Custody.DONE;
        }
        try {
            boolean covered = coveredByMultipleAck(job);
            if (host.isStopped() && covered) {
                LOG.info("pipeline '{}' is stopped and {} was already acknowledged by a multiple ack"
                        + " (multiple_ack=true): the broker no longer holds it; the runtime keeps it", pipeline, job);
                return Custody.RUNTIME;
            }
            if (!covered && (gone || !channel.isOpen())) {
                if (host.isStopped()) {
                    LOG.debug("pipeline '{}' is stopped: {} was not requeued; its channel closed, so the broker"
                            + " delivers it again as it was delivered (the new headers are not kept)", pipeline, job);
                } else {
                    LOG.info("pipeline '{}': {} could not be requeued with new headers: its channel closed; the"
                            + " broker delivers it again as it was", pipeline, job);
                }
                return Custody.BROKER;
            }
            if (host.isStopped()) {
                return leaveWithBroker(job);
            }
            try {
                host.republish(job, headers, delay).get(options.timeoutSeconds + 5L, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (host.isStopped()) {
                    // the driver stopped while the copy was on its way, and its publisher refused it
                    return leaveWithBroker(job);
                }
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (sendNack(job, true) == Sent.COVERED) {
                    LOG.warn("pipeline '{}': {} could not be requeued ({}) and the broker no longer holds it (a"
                            + " multiple ack acknowledged it); the runtime keeps it", pipeline, job,
                            cause.getMessage());
                    return Custody.RUNTIME;
                }
                LOG.warn("pipeline '{}': {} could not be requeued ({}); it went back to its queue unchanged",
                        pipeline, job, cause.getMessage());
                return Custody.BROKER;
            }
            sendAck(job);
            return Custody.DRIVER;
        } finally {
            settledOne();
        }
    }

    /**
     * A requeue after stop on a channel still open: the publisher is closed, so the original goes back to its
     * queue as it was delivered.
     */
    private Custody leaveWithBroker(AmqpJob job) {
        if (sendNack(job, true) == Sent.COVERED) {
            LOG.info("pipeline '{}' is stopped and {} was already acknowledged by a multiple ack (multiple_ack=true):"
                    + " the broker no longer holds it; the runtime keeps it", pipeline, job);
            return Custody.RUNTIME;
        }
        LOG.debug("pipeline '{}' is stopped: {} was not requeued; it went back to its queue as it was delivered"
                + " (the new headers are not kept) and the broker delivers it again", pipeline, job);
        return Custody.BROKER;
    }

    /** @return whether a multiple ack of a later delivery already acknowledged this one */
    private boolean coveredByMultipleAck(AmqpJob job) {
        if (!options.multipleAck) {
            return false;
        }
        synchronized (ackLock) {
            return job.deliveryTag <= coveredUpTo;
        }
    }

    private Sent sendAck(AmqpJob job) {
        try {
            if (options.multipleAck) {
                synchronized (ackLock) {
                    if (job.deliveryTag <= coveredUpTo) {
                        return Sent.COVERED; // a later multiple ack acknowledged it already
                    }
                    coveredUpTo = job.deliveryTag;
                    channel.basicAck(job.deliveryTag, true);
                }
            } else {
                channel.basicAck(job.deliveryTag, false);
            }
            return Sent.SENT;
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("pipeline '{}': ack of {} failed ({}); the broker delivers it again", pipeline, job,
                    e.toString());
            return Sent.FAILED;
        }
    }

    private Sent sendNack(AmqpJob job, boolean requeue) {
        try {
            if (options.multipleAck) {
                synchronized (ackLock) {
                    if (job.deliveryTag <= coveredUpTo) {
                        LOG.warn("pipeline '{}': {} was already acknowledged by a multiple ack (multiple_ack=true);"
                                + " its rejection cannot reach the broker", pipeline, job);
                        return Sent.COVERED;
                    }
                    channel.basicNack(job.deliveryTag, false, requeue);
                }
            } else {
                channel.basicNack(job.deliveryTag, false, requeue);
            }
            return Sent.SENT;
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("pipeline '{}': nack of {} failed ({}); the broker delivers it again", pipeline, job,
                    e.toString());
            return Sent.FAILED;
        }
    }

    private void settledOne() {
        if (outstanding.decrementAndGet() <= 0) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Hands a delivery on, in order: straight into the runtime's queue when nothing waits in the buffer and it
     * fits; otherwise into the buffer, starting the feeder if there is none.
     */
    private void handOnInOrder(AmqpJob job) {
        Thread start = null;
        synchronized (feedLock) {
            // offer never blocks: a quick call under this lock, which keeps direct and buffered jobs in order
            if (feeder == null && buffer.isEmpty() && queue.offer(job)) {
                return;
            }
            buffer.addLast(job);
            if (feeder == null) {
                start = new NamedThreads("amqp-" + pipeline + "-feed").newThread(this::feed);
                feeder = start;
            } else {
                feedLock.notifyAll();
            }
        }
        if (start != null) {
            start.start();
        }
    }

    private void stopFeeder() {
        Thread t;
        synchronized (feedLock) {
            stopFeeding = true;
            t = feeder;
            feedLock.notifyAll();
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(TimeUnit.SECONDS.toMillis(options.timeoutSeconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.error("pipeline '{}': the feeder thread did not stop", pipeline);
        }
    }

    /**
     * Moves deliveries from the buffer into the runtime's queue, waiting while the queue is full; ends when
     * stopped or when the buffer stayed empty for a while.
     */
    private void feed() {
        try {
            while (true) {
                AmqpJob job;
                synchronized (feedLock) {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FEEDER_LINGER_MILLIS);
                    while ((job = buffer.pollFirst()) == null && !stopFeeding) {
                        long left = until - System.nanoTime();
                        if (left <= 0) {
                            return;
                        }
                        TimeUnit.NANOSECONDS.timedWait(feedLock, left);
                    }
                    if (stopFeeding) {
                        if (job != null) {
                            buffer.addFirst(job);
                        }
                        return;
                    }
                }
                try {
                    queue.insert(job);
                } catch (InterruptedException e) {
                    buffer.addFirst(job);
                    return;
                } catch (RuntimeException e) {
                    LOG.error("pipeline '{}': the runtime queue refused {}; it goes back to the broker", pipeline,
                            job, e);
                    release(job);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } finally {
            synchronized (feedLock) {
                if (feeder == Thread.currentThread()) {
                    feeder = null;
                }
            }
        }
    }

    /** One subscription to the queue; after {@link #cancelLocally()} its deliveries are rejected at once. */
    private final class Subscription extends DefaultConsumer {
        private boolean cancelled;

        Subscription(Channel channel) {
            super(channel);
        }

        synchronized void cancelLocally() {
            cancelled = true;
        }

        /**
         * Every delivery ends handed to the runtime's queue, returned (after cancel) or rejected: an exception
         * escaping from here would leave it unacknowledged, holding a prefetch slot until the channel closes, as
         * the client's handler ({@link ClientExceptions}) only logs it and keeps the channel open.
         */
        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                byte[] body) {
            long tag = envelope.getDeliveryTag();
            AmqpJob job;
            try {
                job = new AmqpJob(reader.read(envelope, properties), body, pipeline, tag, Consumption.this);
            } catch (RuntimeException | Error e) {
                // not even a foreign message with defaults: a poison message, never to be delivered again
                reject(tag, e);
                return;
            }
            try {
                if (handOn(job)) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                // the message is fine, this process is not (out of memory, say): it goes back to the queue
                LOG.error("pipeline '{}': {} (delivery {} of queue '{}') could not be handed to the runtime ({});"
                        + " it goes back to the queue", pipeline, job, tag, options.queue, e.toString());
            }
            try {
                channel.basicNack(tag, false, true);
            } catch (IOException | AlreadyClosedException e) {
                LOG.debug("pipeline '{}': could not return delivery {} to the queue: {}", pipeline, tag,
                        e.toString());
            }
        }

        /** @return {@code false} when the subscription is cancelled: the caller returns the delivery */
        private synchronized boolean handOn(AmqpJob job) {
            if (cancelled) {
                return false;
            }
            outstanding.incrementAndGet();
            try {
                handOnInOrder(job);
            } catch (RuntimeException | Error e) {
                outstanding.decrementAndGet();
                throw e;
            }
            return true;
        }

        private void reject(long tag, Throwable e) {
            LOG.error("pipeline '{}': delivery {} of queue '{}' could not be read, not even as a foreign message"
                    + " with defaults ({}); rejected without requeue", pipeline, tag, options.queue, e.toString());
            LOG.debug("pipeline '{}': why delivery {} could not be read", pipeline, tag, e);
            try {
                // a later multiple ack cannot have covered it: it is the channel's newest delivery
                channel.basicReject(tag, false);
            } catch (IOException | AlreadyClosedException ex) {
                LOG.debug("pipeline '{}': could not reject delivery {}: {}; the broker delivers it again",
                        pipeline, tag, ex.toString());
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            host.lost(session, new IOException("the broker cancelled the consumer of queue '" + options.queue
                    + "' (was it deleted?)"));
        }
    }
}
