package org.osgijobs.driver.beanstalk.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of one beanstalk pipeline: one tube, a {@link Producer} connection that puts jobs, and a
 * {@link Reserver} connection that reserves them (the protocol ties a reserved
 * job to the connection that reserved it). Jobs are put with the pipeline's {@code tube_priority} as beanstalkd
 * priority, the job's delay, and the {@code jobs.beanstalk} {@code timeout} as TTR; the job's own priority travels
 * in the gob item and orders it in the runtime's queue.
 */
final class BeanstalkDriver implements Driver, Reserver.Host {
    private static final Logger LOG = LoggerFactory.getLogger(BeanstalkDriver.class);
    static final String NAME = "beanstalk";
    /** Grace for settlements still in flight at stop (the runtime already waited for running jobs). */
    static final long SETTLE_GRACE_MILLIS = 2000;

    private final String pipeline;
    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Producer producer;
    private final List<Reserver> reservers;
    private final Consumer<BeanstalkDriver> onStopped;
    private volatile boolean stopped;

    BeanstalkDriver(Pipeline pipeline, ConnectionSettings settings, Queue queue, Consumer<BeanstalkDriver> onStopped) {
        this.pipeline = pipeline.name();
        if (!this.pipeline.equals(queue.pipeline())) {
            throw new IllegalArgumentException("pipeline '" + this.pipeline + "' was given the queue of pipeline '"
                    + queue.pipeline() + "'");
        }
        this.options = PipelineOptions.of(pipeline);
        this.settings = settings;
        this.onStopped = onStopped;
        this.producer = new Producer(this.pipeline, settings, options.tube, options.timeoutSeconds);
        List<Reserver> built = new java.util.ArrayList<>();
        for (int i = 0; i < options.reserveConnections; i++) {
            // the pipeline's prefetch shared out: the first ones take the remainder
            int share = options.prefetch / options.reserveConnections + (i < options.prefetch % options.reserveConnections ? 1 : 0);
            built.add(new Reserver(options, settings, queue, this, i, share));
        }
        this.reservers = List.copyOf(built);
    }

    /** Starts the consumer thread, which connects in the background (and reserves once the pipeline runs). */
    void start() {
        reservers.forEach(Reserver::start);
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
        if (stopped) {
            return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '"
                    + pipeline + "' is stopped"));
        }
        long priority = message.priority() > 0 ? message.priority() : options.priority;
        byte[] body = WireFormat.encode(message, pipeline, priority, message.delay(), message.headers());
        return producer.put(options.tubePriority, message.delay(), settings.ttrSeconds, body, message)
                .thenApply(id -> null);
    }

    @Override
    public CompletableFuture<Long> putCopy(BeanstalkJob job, Map<String, List<String>> headers, int delay) {
        byte[] body = WireFormat.encode(job.context(), pipeline, job.priority(), delay, headers);
        return producer.put(options.tubePriority, delay, settings.ttrSeconds, body, job.context());
    }

    @Override
    public void run(Pipeline p) {
        checkName(p.name());
        reservers.forEach(c -> c.consume("run"));
    }

    @Override
    public void resume(String name) {
        checkName(name);
        reservers.forEach(c -> c.consume("resume"));
    }

    @Override
    public void pause(String name) {
        checkName(name);
        reservers.forEach(Reserver::pause);
    }

    @Override
    public List<Message> stop() {
        if (stopped) {
            return List.of();
        }
        stopped = true;
        long grace = Math.min(SETTLE_GRACE_MILLIS, options.timeoutSeconds * 1000L);
        reservers.forEach(c -> c.beginStop(grace)); // all at once, then wait for each
        reservers.forEach(c -> c.awaitStop(grace));
        producer.close();
        onStopped.accept(this);
        LOG.debug("pipeline '{}' stopped", pipeline);
        return List.of();
    }

    @Override
    public State state() {
        String error = null;
        long held = 0;
        boolean allUp = true;
        for (Reserver c : reservers) {
            error = error == null ? c.error() : error;
            held += c.reserved();
            // a reserver still making its first connection counts as consuming (the runtime would otherwise call
            // the pipeline push-only at its start); a lost connection, or a server that cannot be asked for the
            // tube's statistics, is not ready and says why (the error below)
            allUp &= c.consuming() && (c.connected() || c.error() == null);
        }
        long ready = 0;
        long delayed = 0;
        long reserved = held;
        if (!stopped) {
            try {
                Map<String, String> stats = producer.statsTube();
                ready = number(stats, "current-jobs-ready");
                delayed = number(stats, "current-jobs-delayed");
                reserved = number(stats, "current-jobs-reserved");
            } catch (IOException | RuntimeException e) {
                if (error == null) {
                    error = "pipeline '" + pipeline + "': cannot read the statistics of tube '" + options.tube
                            + "' from beanstalkd at " + settings + ": " + e.getMessage();
                }
            }
        }
        return State.builder(pipeline).driver(NAME).queue(options.tube).active(ready).delayed(delayed)
                .reserved(reserved).ready(!stopped && allUp && error == null)
                .priority(options.priority).errorMessage(error == null ? "" : error).build();
    }

    private static long number(Map<String, String> stats, String key) {
        try {
            return Long.parseLong(stats.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
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
