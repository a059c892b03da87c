package org.osgijobs.driver.nats.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;

/**
 * The driver of one NATS JetStream pipeline. It owns a {@link Link} (the connection and its recovery), a
 * {@link Publisher} (acknowledged publishing), a {@link Consumption} (the pipeline's durable consumer, shared with
 * every runtime that consumes the pipeline) and a {@link DelayMover} (the delay subject's consumer).
 * <p>
 * Every change of consumption (run, pause, resume, stop, and its restoration after a reconnect) and every topology
 * request runs on one control thread of the driver's own, one after the other: no lock is held around a call to the
 * server, and the client's callback threads only hand work to that thread.
 */
final class NatsDriver implements Driver, Link.Host, Consumption.Host {
    private static final Logger LOG = LoggerFactory.getLogger(NatsDriver.class);
    static final String NAME = "nats";

    /** Grace for settlements still in flight at stop (the runtime already waited for running jobs). */
    static final long SETTLE_GRACE_MILLIS = 2000;
    /** How long building a driver waits for the first connection before it goes on in the background. */
    static final long FIRST_CONNECT_MILLIS = 5000;

    private final String pipeline;
    private final PipelineOptions options;
    private final Topology topology;
    private final Queue queue;
    private final Consumer<NatsDriver> onStopped;
    private final ExecutorService control;
    private final ScheduledExecutorService timers;
    private final Link link;
    private final Publisher publisher;
    private final Consumption consumption;
    private final DelayMover mover;

    // written on the control thread only
    private volatile Mode mode = Mode.BUILT;
    private volatile boolean delaySubject;
    private volatile boolean prepared;
    private volatile String topologyError;
    private volatile boolean stopped;

    NatsDriver(Pipeline pipeline, ConnectionSettings settings, Queue queue, Consumer<NatsDriver> onStopped) {
        this.pipeline = pipeline.name();
        if (!this.pipeline.equals(queue.pipeline())) {
            throw new IllegalArgumentException("pipeline '" + this.pipeline + "' was given the queue of pipeline '"
                    + queue.pipeline() + "'");
        }
        this.options = PipelineOptions.of(pipeline);
        this.topology = new Topology(options);
        this.queue = queue;
        this.onStopped = onStopped;
        this.control = Executors.newSingleThreadExecutor(new NamedThreads("nats-" + this.pipeline + "-control"));
        // the in-progress signals and the publishes' timeouts (one sweep for all)
        this.timers = Executors.newSingleThreadScheduledExecutor(new NamedThreads("nats-" + this.pipeline + "-timer"));
        this.link = new Link(this.pipeline, settings, Duration.ofSeconds(options.timeoutSeconds), control, this);
        this.publisher = new Publisher(link, options.stream, options.timeoutSeconds, options.publishWindow, timers,
                () -> prepared && link.jetStream() != null);
        this.consumption = new Consumption(options, queue, this);
        this.mover = new DelayMover(options, publisher);
    }

    /**
     * Connects (waiting a few seconds for the first connection) and makes sure the stream and the consumers exist;
     * an unreachable server is retried in the background and shown in the state.
     *
     * @throws JobsException when the server is reachable but the pipeline does not fit what it has (an existing
     *         stream without the pipeline's subject, a consumer of that name with another filter)
     */
    void start() {
        long touch = Math.max(1000L, options.ackWaitSeconds * 1000L / 3);
        timers.scheduleWithFixedDelay(consumption::touchAll, touch, touch, TimeUnit.MILLISECONDS);
        try {
            if (!link.start(Duration.ofMillis(Math.min(FIRST_CONNECT_MILLIS, options.timeoutSeconds * 1000L)))) {
                LOG.warn("pipeline '{}': {}; the driver keeps trying", pipeline, link.error());
                return;
            }
            onControl(this::prepare);
        } catch (JobsException e) {
            shutdown();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                    + "': interrupted while connecting to " + link.address());
        }
    }

    String pipeline() {
        return pipeline;
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        if (message.pipeline() != null && !message.pipeline().equals(pipeline)) {
            return CompletableFuture.failedFuture(new JobsException("pipeline '" + pipeline + "' cannot take "
                    + describe(message) + " addressed to pipeline '" + message.pipeline() + "'"));
        }
        long priority = message.priority() > 0 ? message.priority() : options.priority;
        return publish(message, message.headers(), priority, message.delay(), describe(message));
    }

    private CompletableFuture<Void> publish(Message message, Map<String, List<String>> headers, long priority,
            int delay, String what) {
        WireFormat.Encoded e;
        try {
            e = WireFormat.encode(message, pipeline, priority, delay, options.stream, headers);
        } catch (JobsException bad) {
            return CompletableFuture.failedFuture(new JobsException(bad.kind(), what + ": " + bad.getMessage()));
        }
        String subject = delay > 0 && delaySubject ? options.delaySubject : options.subject;
        return publisher.publish(subject, e.headers(), e.body(), what);
    }

    @Override
    public void run(Pipeline p) {
        checkName(p.name());
        onControl(() -> consume("run"));
    }

    @Override
    public void resume(String name) {
        checkName(name);
        onControl(() -> consume("resume"));
    }

    @Override
    public void pause(String name) {
        checkName(name);
        onControl(() -> {
            mode = mode.pause();
            if (consumption.subscribed()) {
                consumption.unsubscribe();
                timers.schedule(() -> control.execute(() -> {
                    if (mode != Mode.CONSUMING) {
                        consumption.releaseParked();
                    }
                }), Consumption.PULL_EXPIRES_MILLIS + 300, TimeUnit.MILLISECONDS);
                LOG.debug("pipeline '{}' paused", pipeline);
            }
            return null;
        });
    }

    @Override
    public List<Message> stop() {
        if (stopped) {
            return List.of();
        }
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Math.min(SETTLE_GRACE_MILLIS, options.timeoutSeconds * 1000L));
        try {
            onControl(() -> {
                mode = mode.stop();
                consumption.unsubscribe();
                mover.stop();
                return null;
            });
        } catch (JobsException e) {
            LOG.warn("pipeline '{}': {}", pipeline, e.getMessage());
        }
        try {
            long drained = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Consumption.PULL_EXPIRES_MILLIS + 500);
            consumption.closeDrained(drained);
            mover.closeDrained(drained);
            consumption.releaseParked();
            if (!consumption.awaitSettled(deadline)) {
                LOG.info("pipeline '{}': {} jobs still running at stop; the server delivers them again", pipeline,
                        consumption.reserved());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        publisher.close();
        if (options.deleteStreamOnStop) {
            deleteStream();
        }
        shutdown();
        onStopped.accept(this);
        LOG.debug("pipeline '{}' stopped", pipeline);
        return List.of();
    }

    @Override
    public State state() {
        String error = link.error();
        if (error == null) {
            error = topologyError;
        }
        long active = 0;
        long delayed = 0;
        JetStreamManagement jsm = link.management();
        if (jsm != null && link.connected() && prepared) {
            try {
                ConsumerInfo main = jsm.getConsumerInfo(options.stream, options.consumer);
                active = Math.max(0, main.getNumPending() + main.getNumAckPending() - consumption.reserved());
                if (delaySubject) {
                    ConsumerInfo d = jsm.getConsumerInfo(options.stream, options.delayConsumer());
                    delayed = d.getNumPending() + d.getNumAckPending();
                }
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (error == null) {
                    error = "cannot read consumer '" + options.consumer + "' of stream '" + options.stream + "': "
                            + ConnectionSettings.mask(String.valueOf(e.getMessage()));
                }
            }
        }
        return State.builder(pipeline).driver(NAME).queue(options.stream).active(active).delayed(delayed)
                .reserved(consumption.reserved()).ready(mode == Mode.CONSUMING && consumption.subscribed()).priority(options.priority)
                .errorMessage(error == null ? "" : error).build();
    }

    // ---- Link.Host: on the control thread -------------------------------------------------------------------

    @Override
    public void opened() {
        try {
            prepare();
        } catch (JobsException e) {
            LOG.error(e.getMessage());
        }
        publisher.wake();
    }

    // ---- Consumption.Host ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> republish(NatsJob job, Map<String, List<String>> headers, int delay) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.remove(WireFormat.SUBJECT_HEADER);
        Message message = job.context().toBuilder().headers(copy).delay(delay).build();
        return publish(message, copy, job.priority(), delay, job.toString());
    }

    @Override
    public void delete(long sequence) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = link.management();
        if (jsm != null) {
            jsm.deleteMessage(options.stream, sequence, false);
        }
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    // ---- internals: on the control thread ---------------------------------------------------------------------

    /** Makes sure stream and consumers exist, then restores what the mode wants. */
    private Void prepare() {
        if (mode == Mode.STOPPED || !link.connected()) {
            return null;
        }
        try {
            delaySubject = topology.ensure(link.management());
            if (!delaySubject && !prepared) {
                LOG.warn("pipeline '{}': stream '{}' does not take subject '{}': delayed jobs wait on '{}' itself"
                        + " (see the README)", pipeline, options.stream, options.delaySubject, options.subject);
            }
            prepared = true;
            topologyError = null;
        } catch (JobsException e) {
            topologyError = e.getMessage();
            throw e;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            topologyError = "pipeline '" + pipeline + "': cannot prepare stream '" + options.stream + "' on "
                    + link.address() + ": " + ConnectionSettings.mask(String.valueOf(e.getMessage()));
            LOG.warn(topologyError);
            return null;
        }
        if (mode == Mode.CONSUMING) {
            subscribe();
        }
        return null;
    }

    private Void consume(String operation) {
        mode = mode.consume(pipeline, operation);
        if (!link.connected()) {
            LOG.info("pipeline '{}': consuming starts when the server is reachable ({})", pipeline, link.error());
            return null;
        }
        if (!prepared) {
            prepare(); // subscribes
            return null;
        }
        if (!consumption.subscribed()) {
            subscribe();
        }
        return null;
    }

    private void subscribe() {
        Connection connection = link.connection();
        try {
            consumption.subscribe(connection);
            if (delaySubject) {
                mover.subscribe(connection);
            }
            LOG.debug("pipeline '{}' consuming '{}' of stream '{}' as '{}'", pipeline, options.subject,
                    options.stream, options.consumer);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': cannot consume"
                    + " with consumer '" + options.consumer + "' of stream '" + options.stream + "': "
                    + ConnectionSettings.mask(String.valueOf(e.getMessage())), e);
        }
    }

    private void deleteStream() {
        JetStreamManagement jsm = link.management();
        if (jsm == null || !link.connected()) {
            LOG.warn("pipeline '{}': stream '{}' not deleted on stop: no connection", pipeline, options.stream);
            return;
        }
        try {
            jsm.deleteStream(options.stream);
            LOG.info("pipeline '{}': stream '{}' deleted (delete_stream_on_stop)", pipeline, options.stream);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warn("pipeline '{}': stream '{}' not deleted on stop: {}", pipeline, options.stream, e.toString());
        }
    }

    /** Runs a step on the control thread and waits for it (up to the timeout), rethrowing its failure. */
    private void onControl(Callable<Void> step) {
        if (control.isShutdown()) {
            throw new JobsException("pipeline '" + pipeline + "' is stopped");
        }
        Future<Void> f = control.submit(step);
        try {
            f.get(options.timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JobsException) {
                throw (JobsException) e.getCause();
            }
            throw new JobsException("pipeline '" + pipeline + "': " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': "
                    + link.address() + " did not answer within " + options.timeoutSeconds + " s (timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': interrupted");
        }
    }

    private void shutdown() {
        stopped = true;
        publisher.close();
        link.close();
        control.shutdown();
        timers.shutdownNow();
    }

    private void checkName(String name) {
        if (!pipeline.equals(name)) {
            throw new JobsException("the driver of pipeline '" + pipeline + "' was asked about pipeline '" + name
                    + "'");
        }
    }

    private static String describe(Message message) {
        return "job '" + message.name() + "' (" + message.id() + ")";
    }
}
