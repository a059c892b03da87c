package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.JobsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

/**
 * Publishes a pipeline's messages with publisher confirms, keeping a window of publishes in flight. One thread
 * owns the publishing channel: callers hand it {@link Outgoing}s and wait on their futures, which complete when
 * the broker confirms (or refuses, or returns) each message, or fail when {@code timeout} passes first.
 * <p>
 * When the connection is lost, the publishes not yet confirmed are kept and published again on the next session,
 * ahead of new ones; so are the ones that arrive meanwhile. A message the broker stored just before the loss may
 * thus be stored twice: delivery is at least once.
 */
final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    /** Wakes the publisher thread without a message. */
    private static final Outgoing WAKE = new Outgoing("", "", null, null, null, 0, "", "", () -> {
    });
    private static final int MAX_SENDS = 10;
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String pipeline;
    private final Link link;
    private final int timeoutSeconds;
    private final long timeoutNanos;
    private final BlockingQueue<Outgoing> inbox = new LinkedBlockingQueue<>();
    private final PublishWindow window;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean abandoned;

    // publisher thread only
    private final Deque<Outgoing> backlog = new ArrayDeque<>();
    private final Map<String, Long> declaredDelayQueues = new HashMap<>();
    private Session session;
    private Confirms confirms = new Confirms();

    Publisher(String pipeline, Link link, int timeoutSeconds, int windowSize) {
        this.pipeline = pipeline;
        this.link = link;
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.window = new PublishWindow(windowSize, inbox::add);
        this.thread = new NamedThreads("amqp-" + pipeline + "-publish").newThread(this::loop);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a publish without ever blocking: into the window, or into the line waiting for room in it; refused at
     * once when both are full.
     *
     * @param exchange   the exchange
     * @param routingKey the routing key
     * @param properties the message properties
     * @param body       the body
     * @param delayQueue the delay queue to declare first, or {@code null}
     * @param what       the job, for messages
     * @param jobId      the job's id
     * @return completes when the broker confirmed the message
     */
    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
            DelayQueue delayQueue, String what, String jobId) {
        if (closing) {
            return CompletableFuture.failedFuture(stopped(what));
        }
        long deadline = System.nanoTime() + timeoutNanos;
        Outgoing outgoing = new Outgoing(exchange, routingKey, properties, body, delayQueue, deadline, what, jobId,
                window::release);
        if (!window.admit(outgoing)) {
            return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '"
                    + pipeline + "': " + what + " was not published: " + window.size() + " publishes wait for the "
                    + "broker's confirm and " + window.size() + " more for room (publish_window); retry later"));
        }
        if (closing && abandoned) {
            // raced with close: nobody will publish it any more
            outgoing.fail(stopped(what));
        }
        return outgoing.result;
    }

    /** Wakes the publisher thread: a session came or went. */
    void wake() {
        inbox.offer(WAKE);
    }

    /**
     * Stops publishing: waits up to the given time for the publishes under way to be confirmed, then fails the
     * rest.
     */
    void close(long graceMillis) {
        closing = true;
        wake();
        try {
            thread.join(Math.max(1, graceMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandoned = true;
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Outgoing> left = new ArrayList<>(window.drainWaiting());
        inbox.drainTo(left);
        if (!thread.isAlive()) {
            left.addAll(backlog);
            backlog.clear();
            left.addAll(confirms.drain());
        }
        for (Outgoing o : left) {
            if (o != WAKE) {
                o.fail(stopped(o.what));
            }
        }
    }

    /** The failure of a publish that found no room in the window before its deadline. */
    static JobsException timedOut(String what, int windowSize) {
        return new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, what + " was not published: " + windowSize
                + " publishes stayed unconfirmed until its timeout");
    }

    private void loop() {
        try {
            while (true) {
                follow(link.session());
                take();
                long now = System.nanoTime();
                expire(now);
                if (closing && backlog.isEmpty() && inbox.isEmpty() && confirms.isEmpty()) {
                    return;
                }
                if (session != null && !backlog.isEmpty()) {
                    send(backlog.pollFirst());
                    continue;
                }
                Outgoing next = inbox.poll(waitNanos(now), TimeUnit.NANOSECONDS);
                if (next != null && next != WAKE) {
                    backlog.addLast(next);
                }
            }
        } catch (InterruptedException e) {
            // closed without grace left
        } catch (RuntimeException | Error e) {
            LOG.error("pipeline '{}': publisher failed", pipeline, e);
            closing = true;
            abandoned = true;
            for (Outgoing o : backlog) {
                o.fail(new JobsException("pipeline '" + pipeline + "': " + o.what + " was not published: " + e));
            }
        }
    }

    /** Moves everything the callers queued to the backlog, without waiting. */
    private void take() {
        Outgoing o;
        while ((o = inbox.poll()) != null) {
            if (o != WAKE) {
                backlog.addLast(o);
            }
        }
    }

    /** Adopts the link's current session; the publishes left unconfirmed on a lost one go first. */
    private void follow(Session offered) {
        Session live = offered != null && offered.isLost() ? null : offered;
        if (live == session) {
            return;
        }
        if (session != null) {
            List<Outgoing> unconfirmed = confirms.drain();
            if (!unconfirmed.isEmpty()) {
                LOG.info("pipeline '{}': {} publishes were not confirmed before the connection was lost; they are"
                        + " published again", pipeline, unconfirmed.size());
            }
            for (int i = unconfirmed.size() - 1; i >= 0; i--) {
                Outgoing o = unconfirmed.get(i);
                if (o.sends >= MAX_SENDS) {
                    // a message that takes its channel down every time must not keep the pipeline down
                    o.fail(new JobsException("pipeline '" + pipeline + "': " + o.what + " was not stored: the"
                            + " connection was lost each of the " + o.sends + " times it was published"));
                    continue;
                }
                o.clearReturned();
                backlog.addFirst(o);
            }
        }
        session = live;
        declaredDelayQueues.clear();
        confirms = new Confirms();
        if (live != null) {
            live.publishChannel.addConfirmListener(confirms);
            live.publishChannel.addReturnListener(confirms);
        }
    }

    private void send(Outgoing o) {
        if (o.isFinished()) {
            return;
        }
        Session s = session;
        Channel channel = s.publishChannel;
        long sequence = -1;
        try {
            if (o.delayQueue != null && !declare(s, o)) {
                return;
            }
            o.sends++;
            sequence = channel.getNextPublishSeqNo();
            confirms.add(sequence, o);
            channel.basicPublish(o.exchange, o.routingKey, true, o.properties, o.body);
        } catch (IOException | AlreadyClosedException e) {
            if (sequence >= 0) {
                confirms.remove(sequence);
            }
            backlog.addFirst(o);
            link.lost(s, e);
            follow(null);
        }
    }

    /**
     * Declares the delay queue of a publish unless this session declared it recently: a delay queue expires when
     * unused for twice its delay, so declaring it again within half a delay keeps it alive for every message in
     * it. A refusal by the broker (e.g. the queue exists with other arguments) fails this publish only.
     *
     * @return {@code false} when the broker refused the declaration and the publish failed
     */
    private boolean declare(Session s, Outgoing o) throws IOException {
        DelayQueue queue = o.delayQueue;
        long now = System.nanoTime();
        Long last = declaredDelayQueues.get(queue.name());
        if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(queue.delayMs() / 2)) {
            return true;
        }
        try {
            s.topology(channel -> {
                Topology.declareDelayQueue(channel, queue);
                return null;
            });
            declaredDelayQueues.put(queue.name(), now);
            return true;
        } catch (IOException e) {
            if (!BrokerErrors.isChannelRefusal(e)) {
                throw e;
            }
            JobsException error = new JobsException("pipeline '" + pipeline + "': " + o.what
                    + " was not stored: cannot declare delay queue '" + queue.name() + "': "
                    + BrokerErrors.brokerReply(e));
            LOG.error(error.getMessage());
            o.fail(error);
            return false;
        }
    }

    private void expire(long now) {
        while (!backlog.isEmpty() && backlog.peekFirst().deadlineNanos - now <= 0) {
            Outgoing o = backlog.pollFirst();
            String why = session == null ? "no connection to the broker: " + link.error() : "the publisher is late";
            o.fail(new JobsException("pipeline '" + pipeline + "': " + o.what + " was not stored within "
                    + timeoutSeconds + " s (timeout): " + why));
        }
        confirms.expire(now, timeoutSeconds);
    }

    private long waitNanos(long now) {
        long wait = IDLE_WAIT_NANOS;
        Outgoing head = backlog.peekFirst();
        if (head != null) {
            wait = Math.min(wait, head.deadlineNanos - now);
        }
        Outgoing oldest = confirms.oldest();
        if (oldest != null) {
            wait = Math.min(wait, oldest.deadlineNanos - now);
        }
        return Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
    }

    private JobsException stopped(String what) {
        return new JobsException("pipeline '" + pipeline + "' is stopped: " + what + " was not stored");
    }
}
