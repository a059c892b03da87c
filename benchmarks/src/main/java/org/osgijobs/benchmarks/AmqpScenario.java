package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Scenario 3: an AMQP pipeline (durable queue, persistent messages, publisher confirms, manual acks, prefetch 100)
 * with 2 workers and a no-op handler; one producer pushes with {@link Jobs#pushAsync}, the driver keeping its
 * window of unconfirmed publishes. Baseline: {@link RawAmqpBaseline} against the same broker with the same count,
 * with bare messages (the row's baseline, as the issue defines it) and with the driver's RoadRunner headers (a
 * third side, in the notes and the JSON: it separates the driver's overhead from the broker's cost of the format).
 */
final class AmqpScenario implements Scenario {
    static final String PIPELINE = "bench-amqp";
    static final String JOB = "bench.amqp";
    private static final String PREFIX = "osgijobs.bench.";
    private static final String RUNTIME_QUEUE = PREFIX + "runtime";
    private static final String BARE_QUEUE = PREFIX + "client";
    private static final String WIRE_QUEUE = PREFIX + "client-rr";
    /** The second pipeline, with {@code wire=compact}, and the client sending the same compact headers. */
    static final String COMPACT_PIPELINE = "bench-amqp-compact";
    private static final String COMPACT_QUEUE = PREFIX + "runtime-compact";
    private static final String COMPACT_WIRE_QUEUE = PREFIX + "client-compact";
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
        // each side has its own exchange and queue, named alike; leftovers of an interrupted run would distort counts
        List<String> names = List.of(RUNTIME_QUEUE, BARE_QUEUE, WIRE_QUEUE, COMPACT_QUEUE, COMPACT_WIRE_QUEUE);
        broker.delete(names, names);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.amqp", Map.of("addr", settings.amqpUri())),
                List.of("jackson-annotations", "jackson-core", "jackson-databind", "driver-amqp"), List.of("amqp"));
                RawAmqpBaseline bare = new RawAmqpBaseline(broker, RawAmqpBaseline.Wire.BARE, BARE_QUEUE, BARE_QUEUE,
                        BARE_QUEUE, WORKERS, PREFETCH, WINDOW);
                RawAmqpBaseline wire = new RawAmqpBaseline(broker, RawAmqpBaseline.Wire.ROADRUNNER, WIRE_QUEUE,
                        WIRE_QUEUE, WIRE_QUEUE, WORKERS, PREFETCH, WINDOW);
                RawAmqpBaseline compactWire = new RawAmqpBaseline(broker, RawAmqpBaseline.Wire.COMPACT,
                        COMPACT_WIRE_QUEUE, COMPACT_WIRE_QUEUE, COMPACT_WIRE_QUEUE, WORKERS, PREFETCH, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "amqp",
                    "queue", RUNTIME_QUEUE, "exchange", RUNTIME_QUEUE, "routing_key", RUNTIME_QUEUE,
                    "durable", "true", "exchange_durable", "true", "prefetch", Integer.toString(PREFETCH),
                    "delete_queue_on_stop", "true"));
            framework.jobs().resume(PIPELINE);
            framework.declare(Map.of(Jobs.OPTION_NAME, COMPACT_PIPELINE, Jobs.OPTION_DRIVER, "amqp",
                    "queue", COMPACT_QUEUE, "exchange", COMPACT_QUEUE, "routing_key", COMPACT_QUEUE,
                    "durable", "true", "exchange_durable", "true", "prefetch", Integer.toString(PREFETCH),
                    "delete_queue_on_stop", "true", "wire", "compact"));
            framework.jobs().resume(COMPACT_PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                    new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, PIPELINE, n, progress)),
                    new Rounds.Side("client", n -> clientRound(bare, n, progress)),
                    new Rounds.Side("client+rr headers", n -> clientRound(wire, n, progress)),
                    new Rounds.Side("runtime wire=compact", n -> runtimeRound(framework.jobs(), handler,
                            COMPACT_PIPELINE, n, progress)),
                    new Rounds.Side("client+compact headers", n -> clientRound(compactWire, n, progress))));
            Measurement runtime = Measurement.medians(rounds.get(0));
            Measurement client = Measurement.medians(rounds.get(1));
            Measurement clientWithHeaders = Measurement.medians(rounds.get(2));
            Measurement compact = Measurement.medians(rounds.get(3));
            Measurement clientCompact = Measurement.medians(rounds.get(4));
            double compactRatio = compact.jobsPerS() / client.jobsPerS();
            double compactWireRatio = compact.jobsPerS() / clientCompact.jobsPerS();

            double ratio = runtime.jobsPerS() / client.jobsPerS();
            double wireRatio = runtime.jobsPerS() / clientWithHeaders.jobsPerS();
            String notes = String.format("%,d jobs/round, durable queue, publish window %d, %d worker threads seen;"
                    + " baseline: %d consumer channels with prefetch %d each, bare messages; baseline p50 %s p99 %s"
                    + " us; the same client sending the driver's RoadRunner headers (rr_* table, timestamp,"
                    + " mandatory): %,.0f jobs/s, ratio %.3f", jobs, WINDOW, workers, WORKERS, PREFETCH,
                    Report.number(client.p50Us()), Report.number(client.p99Us()), clientWithHeaders.jobsPerS(),
                    wireRatio);
            return Result.measured(name(), runtime, client, "ratio >= " + TARGET_RATIO, ratio >= TARGET_RATIO, notes)
                    .withExtra("rr_headers_baseline_jobs_per_s", Math.round(clientWithHeaders.jobsPerS()))
                    .withExtra("rr_headers_ratio", wireRatio)
                    .withExtra("compact_jobs_per_s", Math.round(compact.jobsPerS()))
                    .withExtra("compact_ratio", compactRatio)
                    .withExtra("compact_headers_baseline_jobs_per_s", Math.round(clientCompact.jobsPerS()))
                    .withExtra("compact_headers_ratio", compactWireRatio)
                    .withNote(String.format("a second pipeline with wire=compact (rr_headers, rr_delay, rr_auto_ack"
                            + " left out): %,.0f jobs/s, ratio %.3f to the bare client; the client sending the same"
                            + " compact headers: %,.0f jobs/s, ratio %.3f", compact.jobsPerS(), compactRatio,
                            clientCompact.jobsPerS(), compactWireRatio))
                    .withNote("jobs/s of the rounds: runtime " + Rounds.range(rounds.get(0)) + ", client "
                            + Rounds.range(rounds.get(1)) + ", client+rr headers " + Rounds.range(rounds.get(2))
                            + ", runtime wire=compact " + Rounds.range(rounds.get(3)) + ", client+compact headers "
                            + Rounds.range(rounds.get(4)));
        } finally {
            broker.delete(names, names);
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, String pipeline, int jobs,
            Progress progress) throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(pipeline);
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        byte[] scratch = new byte[Payloads.SIZE];
        // pushAsync never blocks: the producer keeps at most what the driver holds (its window and as many waiting)
        Semaphore room = new Semaphore(2 * WINDOW);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0); // stamped before waiting for room, as the baseline does
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(pipeline).payload(scratch)
                    .build()).whenComplete((ok, error) -> {
                        room.release();
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
        PipelineChecks.awaitSettled(runtime, pipeline, before, jobs);
        return m;
    }

    private Measurement clientRound(RawAmqpBaseline client, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        client.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastConfirm = client.publish(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastConfirm) - start, sink.latencies());
    }
}
