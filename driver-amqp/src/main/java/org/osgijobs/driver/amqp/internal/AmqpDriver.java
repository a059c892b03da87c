package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;

/**
 * The driver of one AMQP pipeline. It owns a {@link Link} (the connection and its recovery), a {@link Publisher}
 * (confirmed publishing) and, while consuming, a {@link Consumption} (the consuming channel).
 * <p>
 * Consumption changes (run, pause, resume, stop, and their restoration after a reconnect) happen under one lock,
 * {@code control}. Calls made under it into the runtime's {@link Queue} (this pipeline's view of it) are leaf calls:
 * the queue never calls back into a driver.
 */
final class AmqpDriver implements Driver, Link.Events, Consumption.Host {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpDriver.class);
    static final String NAME = "amqp";
    /** The queue a push-only pipeline (no option {@code queue}) shows in its state: it has none. */
    static final String NO_QUEUE = "(none)";

    private final String pipeline;
    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Queue queue;
    private final Topology topology;
    private final Link link;
    private final Publisher publisher;
    private final Consumer<AmqpDriver> onStopped;
    /** Delay queues this driver published to: their message counts make the {@code delayed} state. */
    private final Set<String> delayQueues = ConcurrentHashMap.newKeySet();
    private final ReentrantLock control = new ReentrantLock();

    // guarded by control
    private boolean wantConsuming;
    private boolean stopping;
    private volatile Consumption consumption;
    private volatile boolean stopped;

    /**
     * @param queue the pipeline's view of the runtime's queue
     * @throws IllegalArgumentException when the queue is another pipeline's view: every insert would be refused
     */
    AmqpDriver(Pipeline pipeline, ConnectionSettings settings, Queue queue, Consumer<AmqpDriver> onStopped) {
        this(pipeline, settings, new Connections("osgijobs-" + pipeline.name()), queue, onStopped);
    }

    /**
     * @param connections where this pipeline's connection comes from: pipelines built with the same one share
     *                    their connection
     * @param queue       the pipeline's view of the runtime's queue
     * @throws IllegalArgumentException when the queue is another pipeline's view: every insert would be refused
     */
    AmqpDriver(Pipeline pipeline, ConnectionSettings settings, Connections connections, Queue queue,
            Consumer<AmqpDriver> onStopped) {
        this.pipeline = pipeline.name();
        if (!this.pipeline.equals(queue.pipeline())) {
            throw new IllegalArgumentException("pipeline '" + this.pipeline + "' was given the queue of pipeline '"
                    + queue.pipeline() + "'");
        }
        this.options = PipelineOptions.of(pipeline);
        this.settings = settings;
        this.queue = queue;
        this.topology = new Topology(options);
        this.onStopped = onStopped;
        this.link = new Link(this.pipeline, settings, connections, options, this);
        this.publisher = new Publisher(this.pipeline, link, options.timeoutSeconds, options.publishWindow);
    }

    /**
     * Connects (once, synchronously) and declares the exchange; an unreachable broker is retried in the
     * background and shown in the state.
     *
     * @throws JobsException when the broker is reachable but refuses the pipeline's exchange or queue
     */
    void start() {
        publisher.start();
        link.start();
        String refusal = link.refusal();
        if (refusal != null) {
            stopQuietly();
            throw new JobsException("pipeline '" + pipeline + "': " + refusal);
        }
    }

    String pipeline() {
        return pipeline;
    }

    /** @return the name of the shared connection this pipeline's channels are on */
    String connectionName() {
        return link.connectionName();
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        if (message.pipeline() != null && !message.pipeline().equals(pipeline)) {
            return CompletableFuture.failedFuture(new JobsException("pipeline '" + pipeline + "' cannot take "
                    + describe(message) + " addressed to pipeline '" + message.pipeline() + "'"));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(message.headers());
        List<String> override = headers.remove(WireFormat.X_ROUTING_KEY);
        String routingKey = override != null && !override.isEmpty() && !override.get(0).isEmpty() ? override.get(0)
                : options.routingKey;
        long priority = message.priority() > 0 ? message.priority() : options.priority;
        AMQP.BasicProperties properties = WireFormat.properties(message, pipeline, priority, headers,
                options.compactWire);
        byte[] body = message.payload();
        if (message.delay() > 0) {
            String target = override != null ? routingKey : options.hasQueue() ? options.queue : options.routingKey;
            DelayQueue delayQueue = DelayQueue.of(message.delay(), options.exchange, target, routingKey);
            delayQueues.add(delayQueue.name());
            return publisher.publish("", delayQueue.name(), properties, body, delayQueue, describe(message),
                    message.id()).copy();
        }
        return publisher.publish(options.exchange, routingKey, properties, body, null, describe(message),
                message.id()).copy();
    }

    @Override
    public void run(Pipeline p) {
        checkName(p.name());
        startConsuming("run");
    }

    @Override
    public void resume(String name) {
        checkName(name);
        if (!options.hasQueue()) {
            throw pushOnly();
        }
        startConsuming("resume");
    }

    @Override
    public void pause(String name) {
        checkName(name);
        control.lock();
        try {
            wantConsuming = false;
            Consumption c = consumption;
            if (c != null && c.subscribed()) {
                releaseAll(c);
                LOG.debug("pipeline '{}' paused", pipeline);
            }
        } finally {
            control.unlock();
        }
    }

    /**
     * The runtime calls this once the pipeline's running jobs finished or its stop deadline passed (Driver.stop):
     * what can still be outstanding is a settlement in flight, such as a requeue waiting for its copy's confirm.
     * Those get a short grace, not a second {@code timeout}.
     */
    static final long SETTLE_GRACE_MILLIS = 2000;

    @Override
    public List<Message> stop() {
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Math.min(SETTLE_GRACE_MILLIS, options.timeoutSeconds * 1000L));
        Consumption c;
        control.lock();
        try {
            if (stopping) {
                return List.of();
            }
            stopping = true;
            wantConsuming = false;
            c = consumption;
            if (c != null) {
                releaseAll(c);
            }
        } finally {
            control.unlock();
        }
        if (c != null && !c.awaitSettled(deadline)) {
            LOG.info("pipeline '{}': {} jobs still running at stop; the broker delivers them again", pipeline,
                    c.outstanding());
        }
        stopped = true;
        // pushes whose confirm is on its way: their callers wait for it anyway, up to the timeout
        publisher.close(TimeUnit.SECONDS.toMillis(options.timeoutSeconds));
        if (options.deleteQueueOnStop && options.hasQueue()) {
            deleteQueue();
        }
        if (c != null) {
            c.close();
        }
        link.close();
        onStopped.accept(this);
        LOG.debug("pipeline '{}' stopped", pipeline);
        return List.of();
    }

    @Override
    public State state() {
        String error = link.error();
        long active = 0;
        long delayed = 0;
        Session s = link.session();
        if (s != null) {
            if (options.hasQueue()) {
                try {
                    active = s.topology(ch -> ch.messageCount(options.queue));
                } catch (IOException | RuntimeException e) {
                    error = s.isLost() || !s.connection.isOpen()
                            ? "connection to " + settings + " lost; reconnecting"
                            : "cannot read queue '" + options.queue + "': "
                                    + BrokerErrors.describe(e, settings.address());
                }
            }
            for (String name : delayQueues) {
                try {
                    delayed += s.topology(ch -> ch.messageCount(name));
                } catch (IOException e) {
                    if (BrokerErrors.replyCode(e) == AMQP.NOT_FOUND) {
                        delayQueues.remove(name); // expired: nothing waits in it any more
                    }
                } catch (RuntimeException e) {
                    LOG.debug("pipeline '{}': cannot read delay queue {}: {}", pipeline, name, e.toString());
                }
            }
        }
        Consumption c = consumption;
        boolean ready;
        control.lock();
        try {
            ready = wantConsuming && !stopping && options.hasQueue();
        } finally {
            control.unlock();
        }
        return new State(pipeline, NAME, options.hasQueue() ? options.queue : NO_QUEUE, active, delayed,
                c == null ? 0 : Math.max(0, c.outstanding()), ready, options.priority, error);
    }

    // ---- Link.Events: on the link thread -----------------------------------------------------------------

    @Override
    public void opened(Session session) throws IOException {
        control.lock();
        try {
            if (wantConsuming && !stopping) {
                subscribe(session);
            }
        } finally {
            control.unlock();
        }
        publisher.wake();
    }

    @Override
    public void lost(Session session) {
        control.lock();
        try {
            Consumption c = consumption;
            if (c != null && c.session == session) {
                c.abandon();
                consumption = null;
                // the broker delivers these again: the copies in the runtime's queue must not run too
                int dropped = 0;
                for (Job job : queue.withdraw()) {
                    if (!(job instanceof AmqpJob) || ((AmqpJob) job).owner != c) {
                        requeueForeign(job);
                    } else {
                        dropped++;
                    }
                }
                if (dropped > 0) {
                    LOG.info("pipeline '{}': {} jobs withdrawn from the queue; the broker delivers them again",
                            pipeline, dropped);
                }
            }
        } finally {
            control.unlock();
        }
        publisher.wake();
    }

    // ---- Consumption.Host ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> republish(AmqpJob job, Map<String, List<String>> headers, int delay) {
        Message copy = job.context().toBuilder().headers(headers).delay(delay).build();
        AMQP.BasicProperties properties = WireFormat.properties(copy, pipeline, job.priority(), copy.headers(),
                options.compactWire);
        // straight back into this pipeline's queue, never through the exchange: a fanout would copy it again
        if (delay > 0) {
            DelayQueue delayQueue = DelayQueue.of(delay, "", options.queue, options.queue);
            delayQueues.add(delayQueue.name());
            return publisher.publish("", delayQueue.name(), properties, copy.payload(), delayQueue, job.toString(),
                    job.id());
        }
        return publisher.publish("", options.queue, properties, copy.payload(), null, job.toString(), job.id());
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public void lost(Session session, Throwable cause) {
        link.lost(session, cause);
    }

    // ---- internals ----------------------------------------------------------------------------------------

    private void startConsuming(String operation) {
        if (!options.hasQueue()) {
            LOG.info("pipeline '{}' has no option 'queue': it is push-only and consumes nothing", pipeline);
            return;
        }
        control.lock();
        try {
            if (stopping) {
                throw new JobsException("pipeline '" + pipeline + "' is stopped: cannot " + operation);
            }
            wantConsuming = true;
            Session s = link.session();
            if (s == null) {
                LOG.info("pipeline '{}': consuming starts when the broker is reachable ({})", pipeline,
                        link.error());
                return;
            }
            Consumption c = consumption;
            if (c != null && c.session == s && c.subscribed()) {
                return;
            }
            try {
                subscribe(s);
            } catch (IOException | RuntimeException e) {
                wantConsuming = false;
                throw new JobsException("pipeline '" + pipeline + "': cannot consume queue '" + options.queue
                        + "': " + BrokerErrors.describe(e, settings.address()), e);
            }
        } finally {
            control.unlock();
        }
    }

    /** Under control: opens the session's consuming channel if needed and subscribes. */
    private void subscribe(Session s) throws IOException {
        Consumption c = consumption;
        if (c == null || c.session != s) {
            c = Consumption.open(s, options, queue, this);
            consumption = c;
        }
        c.subscribe(topology);
        LOG.debug("pipeline '{}' consuming queue '{}'", pipeline, options.queue);
    }

    /** Under control: stops the subscription and puts back every delivery no worker has taken. */
    private void releaseAll(Consumption c) {
        List<AmqpJob> back = new ArrayList<>(c.unsubscribe());
        for (Job job : queue.withdraw()) {
            if (job instanceof AmqpJob && ((AmqpJob) job).owner == c) {
                back.add((AmqpJob) job);
            } else if (!(job instanceof AmqpJob)) {
                requeueForeign(job);
            }
            // jobs of an abandoned consumption are delivered again by the broker
        }
        for (AmqpJob job : back) {
            c.release(job);
        }
        if (!back.isEmpty()) {
            LOG.debug("pipeline '{}': {} jobs not yet taken went back to the broker", pipeline, back.size());
        }
    }

    /** A job of this pipeline that another driver put in the queue: leave it there. */
    private void requeueForeign(Job job) {
        if (!queue.offer(job)) {
            LOG.error("pipeline '{}': job {} of another driver could not be put back into the queue", pipeline,
                    job.id());
        }
    }

    private void deleteQueue() {
        Session s = link.session();
        if (s == null) {
            LOG.warn("pipeline '{}': queue '{}' not deleted on stop: no connection", pipeline, options.queue);
            return;
        }
        try {
            s.topology(ch -> ch.queueDelete(options.queue));
            LOG.info("pipeline '{}': queue '{}' deleted (delete_queue_on_stop)", pipeline, options.queue);
        } catch (IOException | RuntimeException e) {
            LOG.warn("pipeline '{}': queue '{}' not deleted on stop: {}", pipeline, options.queue, e.toString());
        }
    }

    private void stopQuietly() {
        stopped = true;
        stopping = true;
        publisher.close(0);
        link.close();
    }

    private void checkName(String name) {
        if (!pipeline.equals(name)) {
            throw new JobsException("the driver of pipeline '" + pipeline + "' was asked about pipeline '" + name
                    + "'");
        }
    }

    private JobsException pushOnly() {
        return new JobsException("pipeline '" + pipeline + "' has no option 'queue': it is push-only and cannot"
                + " consume");
    }

    private static String describe(Message message) {
        return "job '" + message.name() + "' (" + message.id() + ")";
    }
}
