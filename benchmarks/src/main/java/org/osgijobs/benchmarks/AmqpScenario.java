package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Scenario 3: an AMQP pipeline (durable queue, persistent messages, publisher confirms, manual acks, prefetch 100)
 * with 2 workers and a no-op handler; one producer pushes with {@link Jobs#pushAsync}, the driver keeping its
 * window of unconfirmed publishes. Baseline: {@link RawAmqpBaseline} against the same broker with the same count.
 */
final class AmqpScenario implements Scenario {
    private static final String PIPELINE = "bench-amqp";
    private static final String JOB = "bench.amqp";
    private static final String RUNTIME_EXCHANGE = "osgijobs.bench.runtime";
    private static final String RUNTIME_QUEUE = "osgijobs.bench.runtime";
    private static final String BASELINE_EXCHANGE = "osgijobs.bench.baseline";
    private static final String BASELINE_QUEUE = "osgijobs.bench.baseline";
    private static final int DOCUMENTED_JOBS = 50_000;
    private static final int WORKERS = 2;
    private static final int PREFETCH = 100;
    /** The driver's default {@code publish_window}; the baseline publisher keeps the same window. */
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    @Override
    public String name() {
        return "amqp";
    }

    @Override
    public String summary() {
        return "amqp pipeline, persistent + confirmed + manual ack, prefetch " + PREFETCH + ", " + WORKERS
                + " workers, async push; baseline the RabbitMQ Java client alone";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        Broker broker = new Broker(settings.amqpUri());
        String unreachable = broker.unreachable();
        if (unreachable != null) {
            return Result.skipped(name(), unreachable);
        }
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        List<String> queues = List.of(RUNTIME_QUEUE, BASELINE_QUEUE);
        List<String> exchanges = List.of(RUNTIME_EXCHANGE, BASELINE_EXCHANGE);
        broker.delete(queues, exchanges); // leftovers of an interrupted run would distort the counts
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.amqp", Map.of("addr", settings.amqpUri())),
                List.of("driver-amqp"), List.of("amqp"));
                RawAmqpBaseline baseline = new RawAmqpBaseline(broker, BASELINE_EXCHANGE, BASELINE_QUEUE,
                        BASELINE_QUEUE, WORKERS, PREFETCH, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "amqp",
                    "queue", RUNTIME_QUEUE, "exchange", RUNTIME_EXCHANGE, "routing_key", RUNTIME_QUEUE,
                    "durable", "true", "exchange_durable", "true", "prefetch", Integer.toString(PREFETCH),
                    "delete_queue_on_stop", "true"));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework.jobs(), handler, n, progress),
                    "baseline", n -> baselineRound(baseline, n, progress));

            double ratio = outcome.product().jobsPerS() / outcome.baseline().jobsPerS();
            String notes = String.format("%,d jobs/round, durable queue, publish window %d, %d worker threads seen;"
                    + " baseline: %d consumer channels with prefetch %d each, no headers; baseline p50 %s p99 %s us",
                    jobs, WINDOW, workers, WORKERS, PREFETCH, Report.number(outcome.baseline().p50Us()),
                    Report.number(outcome.baseline().p99Us()));
            return Result.measured(name(), outcome.product(), outcome.baseline(), "ratio >= " + TARGET_RATIO,
                    ratio >= TARGET_RATIO, notes)
                    .withNote(outcome.spread("runtime", "baseline"));
        } finally {
            broker.delete(queues, exchanges);
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, int jobs, Progress progress)
            throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(PIPELINE);
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        byte[] scratch = new byte[Payloads.SIZE];
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(scratch)
                    .build()).whenComplete((ok, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        if (stored.incrementAndGet() == jobs) {
                            storedAt[0] = System.nanoTime();
                            allStored.countDown();
                        }
                    });
        }
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!allStored.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + stored.get() + " of " + jobs + " pushes completed");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a push failed: " + failure.get(), failure.get());
        }
        // the latch orders the write of storedAt before this read
        long end = Math.max(lastHandled, storedAt[0]);
        Measurement m = Measurement.of(jobs, end - start, sink.latencies());
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    private Measurement baselineRound(RawAmqpBaseline baseline, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        baseline.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastConfirm = baseline.publish(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastConfirm) - start, sink.latencies());
    }
}
