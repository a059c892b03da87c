package org.osgijobs.driver.kafka.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of one Kafka pipeline. It owns a {@link Publisher} (the producer: pushes, requeued copies, delayed
 * jobs), a {@link Consumption} (the consumer and its poll thread), a {@link DelayMover} (the delay topic's consumer)
 * and {@link Topics} (the admin client: topics and the connection check, every few seconds on a timer of its own).
 * The Kafka clients reconnect by themselves; the state shows what the last check found.
 */
final class KafkaDriver implements Driver {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDriver.class);
    static final String NAME = "kafka";
    private static final long CHECK_EVERY_MILLIS = 5000;

    private final String pipeline;
    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Consumer<KafkaDriver> onStopped;
    private final Publisher publisher;
    private final Topics topics;
    private final Consumption consumption;
    private final DelayMover mover;
    private final ScheduledExecutorService timer;
    private volatile String connectionError;
    private volatile boolean stopped;

    KafkaDriver(Pipeline pipeline, ConnectionSettings settings, Queue queue, Consumer<KafkaDriver> onStopped) {
        this.pipeline = pipeline.name();
        if (!this.pipeline.equals(queue.pipeline())) {
            throw new IllegalArgumentException("pipeline '" + this.pipeline + "' was given the queue of pipeline '"
                    + queue.pipeline() + "'");
        }
        this.options = PipelineOptions.of(pipeline);
        this.settings = settings;
        this.onStopped = onStopped;
        this.publisher = new Publisher(settings, options);
        try {
            this.topics = new Topics(settings, options);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        this.consumption = new Consumption(options, settings, queue, this::requeue);
        this.mover = new DelayMover(options, settings, publisher);
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("kafka-" + this.pipeline
                + "-check"));
    }

    /** Checks the cluster and the topics once (an unreachable cluster is logged and retried in the background). */
    void start() {
        check();
        if (connectionError != null) {
            LOG.warn("pipeline '{}': {}; the driver keeps trying", pipeline, connectionError);
        }
        timer.scheduleWithFixedDelay(this::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            String error = topics.ping();
            if (error == null) {
                error = topics.ensure();
            }
            if (error != null && !error.equals(connectionError)) {
                LOG.warn("pipeline '{}': {}", pipeline, error);
            } else if (error == null && connectionError != null) {
                LOG.info("pipeline '{}': kafka {} answers again", pipeline, settings);
            }
            connectionError = error;
        } catch (RuntimeException e) {
            connectionError = "pipeline '" + pipeline + "': checking kafka " + settings + " failed: "
                    + settings.mask(e.toString());
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
        try {
            return publisher.send(record(message, message.headers(), priority, message.delay()), describe(message));
        } catch (JobsException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The requeued copy of a consumed job: to its own topic and partition, or through the delay topic. */
    private CompletableFuture<Void> requeue(KafkaJob job, Map<String, List<String>> headers, int delay) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        h.put(WireFormat.TOPIC, List.of(job.record().topic()));
        h.put(WireFormat.PARTITION, List.of(Integer.toString(job.record().partition())));
        h.remove(WireFormat.OFFSET);
        Message copy = job.context().toBuilder().headers(h).delay(delay).build();
        try {
            return publisher.send(record(copy, h, job.priority(), delay), job.toString());
        } catch (JobsException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @throws JobsException of kind {@code BAD_INPUT} when the job's {@code kafka_partition} header is not a number
     */
    ProducerRecord<byte[], byte[]> record(Message message, Map<String, List<String>> headers, long priority,
            int delay) {
        String topic = WireFormat.first(headers, WireFormat.TOPIC);
        if (topic == null || topic.isBlank()) {
            topic = options.pushTopic;
        }
        Integer partition = null;
        String p = WireFormat.first(headers, WireFormat.PARTITION);
        if (p != null && !p.isBlank()) {
            try {
                partition = Integer.valueOf(p.trim());
            } catch (NumberFormatException e) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, describe(message) + ": header '"
                        + WireFormat.PARTITION + "' must be a partition number, got '" + p + "'");
            }
        }
        List<Header> recordHeaders = WireFormat.headers(message, pipeline, priority, headers);
        if (delay > 0) {
            List<Header> delayed = new ArrayList<>(recordHeaders);
            long due = System.currentTimeMillis() + delay * 1000L;
            delayed.add(new RecordHeader(WireFormat.DUE, DelayMover.bytes(DelayMover.due(due))));
            delayed.add(new RecordHeader(WireFormat.TARGET_TOPIC, DelayMover.bytes(topic)));
            if (partition != null) {
                delayed.add(new RecordHeader(WireFormat.TARGET_PARTITION, DelayMover.bytes(partition.toString())));
            }
            return new ProducerRecord<>(options.delayTopic, null, WireFormat.key(message), message.payload(),
                    delayed);
        }
        return new ProducerRecord<>(topic, partition, WireFormat.key(message), message.payload(), recordHeaders);
    }

    @Override
    public void run(Pipeline p) {
        checkName(p.name());
        checkRunning();
        consumption.consume(true);
        consumption.start();
        mover.start();
    }

    @Override
    public void pause(String name) {
        checkName(name);
        consumption.consume(false);
    }

    @Override
    public void resume(String name) {
        checkName(name);
        checkRunning();
        consumption.consume(true);
        consumption.start();
        mover.start();
    }

    @Override
    public List<Message> stop() {
        if (stopped) {
            return List.of();
        }
        stopped = true;
        timer.shutdownNow();
        consumption.close();
        mover.close();
        publisher.close();
        topics.close();
        onStopped.accept(this);
        LOG.debug("pipeline '{}' stopped", pipeline);
        return List.of();
    }

    @Override
    public State state() {
        String error = connectionError;
        if (error == null) {
            error = consumption.error();
        }
        return State.builder(pipeline).driver(NAME).queue(String.join(",", options.topics))
                .active(consumption.active()).delayed(mover.delayed()).reserved(consumption.reserved())
                .ready(consumption.consuming() && error == null).priority(options.priority)
                .errorMessage(error == null ? "" : error).build();
    }

    private void checkRunning() {
        if (stopped) {
            throw new JobsException("pipeline '" + pipeline + "' is stopped");
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
