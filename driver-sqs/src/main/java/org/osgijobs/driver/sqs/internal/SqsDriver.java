package org.osgijobs.driver.sqs.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The driver of one SQS pipeline. It owns a {@link Publisher} (batched sends), a {@link Consumption} (long polling,
 * settling, visibility extension) and the queue's preparation ({@link QueueTopology}); the SQS client is the
 * constructor's, shared by all pipelines of one {@code jobs.sqs} configuration.
 * <p>
 * Changes of consumption (run, pause, resume, stop) are serialized on this object's monitor, which guards only
 * fields: no call to SQS is made under it. The queue is prepared when the driver is built; when the server cannot
 * be reached then, a timer thread retries with backoff and the state names the error.
 */
final class SqsDriver implements Driver, Consumption.Host {
    private static final Logger LOG = LoggerFactory.getLogger(SqsDriver.class);
    static final String NAME = "sqs";
    /** Grace for deletes still waiting at stop (the runtime already waited for running jobs). */
    static final long SETTLE_GRACE_MILLIS = 2000;

    private final String pipeline;
    private final PipelineOptions options;
    private final SqsClient client;
    private final String endpoint;
    private final Consumer<SqsDriver> onStopped;
    private final LongSupplier clock;
    private final ScheduledExecutorService timers;
    private final Publisher publisher;
    private final Consumption consumption;

    private volatile String queueUrl;
    private volatile String prepareError;
    private volatile Mode mode = Mode.BUILT;
    private long lastExtension;

    SqsDriver(Pipeline pipeline, SqsClient client, String endpoint, Queue queue, Consumer<SqsDriver> onStopped) {
        this(pipeline, client, endpoint, queue, onStopped, System::currentTimeMillis);
    }

    SqsDriver(Pipeline pipeline, SqsClient client, String endpoint, Queue queue, Consumer<SqsDriver> onStopped,
            LongSupplier clock) {
        this.pipeline = pipeline.name();
        if (!this.pipeline.equals(queue.pipeline())) {
            throw new IllegalArgumentException("pipeline '" + this.pipeline + "' was given the queue of pipeline '"
                    + queue.pipeline() + "'");
        }
        this.options = PipelineOptions.of(pipeline);
        this.client = client;
        this.endpoint = endpoint;
        this.onStopped = onStopped;
        this.clock = clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(new NamedThreads("sqs-" + this.pipeline + "-timer"));
        this.publisher = new Publisher(this.pipeline, client, this::url, endpoint, options.timeoutSeconds);
        this.consumption = new Consumption(options, client, this::url, queue, this);
    }

    /**
     * Prepares the queue; an unreachable server is retried in the background and shown in the state.
     *
     * @throws JobsException when the server is reachable and refuses the queue
     */
    void start() {
        timers.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        try {
            prepare();
        } catch (JobsException e) {
            shutdown();
            throw e;
        } catch (RuntimeException e) {
            prepareError = publisher.failure(e).getMessage();
            LOG.warn("{}; the driver keeps trying", prepareError);
            retryPrepare(1000);
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
        if (queueUrl == null) {
            return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '"
                    + pipeline + "': " + describe(message) + " not sent: "
                    + (prepareError != null ? prepareError : "the queue is not prepared yet")));
        }
        long priority = message.priority() > 0 ? message.priority() : options.priority;
        return send(message, message.headers(), priority, message.delay(), false);
    }

    private CompletableFuture<Void> send(Message message, Map<String, List<String>> headers, long priority,
            int delay, boolean copy) {
        WireFormat.Outgoing out;
        try {
            out = WireFormat.encode(message, headers, priority, delay, options, clock.getAsLong(), copy);
        } catch (JobsException bad) {
            return CompletableFuture.failedFuture(new JobsException(bad.kind(), "pipeline '" + pipeline + "': "
                    + describe(message) + ": " + bad.getMessage()));
        }
        return publisher.send(out, describe(message));
    }

    @Override
    public void run(Pipeline p) {
        checkName(p.name());
        consume("run");
    }

    @Override
    public void resume(String name) {
        checkName(name);
        consume("resume");
    }

    private void consume(String operation) {
        boolean start;
        synchronized (this) {
            mode = mode.consume(pipeline, operation);
            start = queueUrl != null;
        }
        if (start) {
            consumption.start();
        } else {
            LOG.info("pipeline '{}': consuming starts when queue '{}' is prepared", pipeline, options.queue);
        }
    }

    @Override
    public void pause(String name) {
        checkName(name);
        synchronized (this) {
            mode = mode.pause();
        }
        consumption.halt();
    }

    @Override
    public List<Message> stop() {
        synchronized (this) {
            if (mode == Mode.STOPPED) {
                return List.of();
            }
            mode = mode.stop();
        }
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Math.min(SETTLE_GRACE_MILLIS, options.timeoutSeconds * 1000L));
        consumption.close(deadline);
        publisher.close(deadline);
        shutdown();
        onStopped.accept(this);
        LOG.debug("pipeline '{}' stopped", pipeline);
        return List.of();
    }

    @Override
    public State state() {
        String error = prepareError != null ? prepareError : consumption.error();
        long active = 0;
        long delayed = 0;
        long reserved = consumption.running();
        String url = queueUrl;
        if (url != null) {
            try {
                Map<String, String> a = client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings();
                active = number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                delayed = number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
                reserved = number(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
            } catch (RuntimeException e) {
                if (error == null) {
                    error = "pipeline '" + pipeline + "': cannot read the attributes of queue '" + options.queue
                            + "' on " + endpoint + ": " + ConnectionSettings.mask(String.valueOf(e.getMessage()));
                }
            }
        }
        return State.builder(pipeline).driver(NAME).queue(options.queue).active(active).delayed(delayed)
                .reserved(reserved).ready(mode == Mode.CONSUMING && consumption.polling())
                .priority(options.priority).errorMessage(error == null ? "" : error).build();
    }

    // ---- Consumption.Host ------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> resend(SqsJob job, Map<String, List<String>> headers, int delay) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        Message message = job.context().toBuilder().headers(copy).delay(delay).build();
        return send(message, copy, job.priority(), delay, true);
    }

    @Override
    public CompletableFuture<Void> hop(software.amazon.awssdk.services.sqs.model.Message m, int delaySeconds) {
        // the same attributes (its due time among them) and body: only DelaySeconds is the rest of the wait
        WireFormat.Outgoing out = new WireFormat.Outgoing(m.body(), m.messageAttributes(), delaySeconds, null, null,
                m.body().length());
        return publisher.send(out, "delayed message " + m.messageId());
    }

    // ---- internals -------------------------------------------------------------------------------------------------

    private void prepare() {
        QueueTopology.Prepared p = QueueTopology.prepare(client, options, endpoint);
        consumption.visibility(p.visibilitySeconds());
        boolean start;
        synchronized (this) {
            queueUrl = p.url();
            prepareError = null;
            start = mode == Mode.CONSUMING;
        }
        LOG.info("pipeline '{}': queue '{}' on {} ready (visibility {} s)", pipeline, options.queue, endpoint,
                p.visibilitySeconds());
        if (start) {
            consumption.start();
        }
    }

    private void retryPrepare(long delayMillis) {
        if (mode == Mode.STOPPED) {
            return;
        }
        timers.schedule(() -> {
            try {
                prepare();
            } catch (RuntimeException e) {
                prepareError = e instanceof JobsException ? e.getMessage() : publisher.failure(e).getMessage();
                retryPrepare(Math.min(Consumption.MAX_BACKOFF_MILLIS, delayMillis * 2));
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Every 100 ms on the timer: extends the visibility of held messages when their period has come. */
    private void tick() {
        long now = System.currentTimeMillis();
        if (now - lastExtension >= consumption.extendPeriodMillis()) {
            lastExtension = now;
            try {
                consumption.extendVisibility();
            } catch (RuntimeException e) {
                LOG.debug("pipeline '{}': visibility extension failed: {}", pipeline, e.toString());
            }
        }
    }

    private String url() {
        String u = queueUrl;
        if (u == null) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': queue '"
                    + options.queue + "' is not prepared yet");
        }
        return u;
    }

    private void shutdown() {
        publisher.close(System.nanoTime());
        timers.shutdownNow();
    }

    private static long number(Map<String, String> a, QueueAttributeName name) {
        String v = a.get(name.toString());
        try {
            return v == null ? 0 : Long.parseLong(v.trim());
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
