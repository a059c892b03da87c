package org.osgijobs.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
 * A NATS JetStream pipeline (file storage, publishes acknowledged by the server, a durable consumer with explicit
 * acks and max ack pending 100) with 2 workers and a no-op handler; one producer pushes with {@link Jobs#pushAsync},
 * the driver keeping its window of publishes in flight. Baseline: {@link RawNatsBaseline}, the jnats client alone
 * against the same server with the same count, window, max ack pending and number of consuming threads.
 * The server is {@code nats://127.0.0.1:4222}, or the system property {@code bench.nats}.
 */
final class NatsScenario implements Scenario {
    static final String PIPELINE = "bench-nats";
    static final String JOB = "bench.nats";
    private static final String RUNTIME_STREAM = "osgijobs-bench-runtime";
    private static final String CLIENT_STREAM = "osgijobs-bench-client";
    private static final String RR_STREAM = "osgijobs-bench-client-rr";
    private static final int DOCUMENTED_JOBS = 50_000;
    private static final int WORKERS = 2;
    private static final int PREFETCH = 100;
    /** The driver's default {@code publish_window}; the baseline publisher keeps the same window. */
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public String summary() {
        return "nats pipeline, JetStream file storage, acknowledged publishes, explicit acks, max ack pending "
                + PREFETCH + ", " + WORKERS + " workers, async push; baseline the jnats client alone";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        String url = System.getProperty("bench.nats", "nats://127.0.0.1:4222");
        String unreachable = unreachable(url);
        if (unreachable != null) {
            return Result.skipped(name(), unreachable);
        }
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.nats", Map.of("addr", url)),
                List.of("jackson-annotations", "jackson-core", "jackson-databind", "driver-nats"), List.of("nats"));
                RawNatsBaseline client = new RawNatsBaseline(url, RawNatsBaseline.Wire.BARE, CLIENT_STREAM,
                        "osgijobs.bench.client", WORKERS, PREFETCH, WINDOW);
                RawNatsBaseline rr = new RawNatsBaseline(url, RawNatsBaseline.Wire.ROADRUNNER, RR_STREAM,
                        "osgijobs.bench.client-rr", WORKERS, PREFETCH, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "nats",
                    "stream", RUNTIME_STREAM, "subject", "osgijobs.bench.runtime",
                    "prefetch", Integer.toString(PREFETCH), "delete_stream_on_stop", "true"));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                    new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, n, progress)),
                    new Rounds.Side("client", n -> clientRound(client, n, progress)),
                    new Rounds.Side("client+rr body", n -> clientRound(rr, n, progress))));
            Measurement runtime = Measurement.medians(rounds.get(0));
            Measurement baseline = Measurement.medians(rounds.get(1));
            Measurement withBody = Measurement.medians(rounds.get(2));
            double ratio = runtime.jobsPerS() / baseline.jobsPerS();
            double bodyRatio = runtime.jobsPerS() / withBody.jobsPerS();
            String notes = String.format("%,d jobs/round, file storage, publish window %d, %d worker threads seen;"
                    + " baseline: %d pull subscriptions on one durable consumer with max ack pending %d, bare"
                    + " 100-byte messages (the driver writes RoadRunner's JSON body, about 250 bytes); baseline p50"
                    + " %s p99 %s us; the same client publishing RoadRunner's JSON body (and finding the payload in"
                    + " it): %,.0f jobs/s, ratio %.3f", jobs, WINDOW, workers, WORKERS, PREFETCH,
                    Report.number(baseline.p50Us()), Report.number(baseline.p99Us()), withBody.jobsPerS(), bodyRatio);
            return Result.measured(name(), runtime, baseline, "ratio >= " + TARGET_RATIO, ratio >= TARGET_RATIO,
                    notes).withExtra("rr_body_baseline_jobs_per_s", Math.round(withBody.jobsPerS()))
                    .withExtra("rr_body_ratio", bodyRatio)
                    .withNote("jobs/s of the rounds: runtime " + Rounds.range(rounds.get(0)) + ", client "
                            + Rounds.range(rounds.get(1)) + ", client+rr body " + Rounds.range(rounds.get(2)));
        }
    }

    private static String unreachable(String url) {
        URI uri = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort()), 2000);
            return null;
        } catch (java.io.IOException e) {
            return "NATS is not reachable on " + uri.getHost() + ":" + uri.getPort() + " (" + e.getMessage()
                    + "): run .ci/start-nats";
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
        // pushAsync never blocks: the producer keeps at most what the driver holds (its window and as many waiting)
        Semaphore room = new Semaphore(2 * WINDOW);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(scratch)
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
        long end = Math.max(lastHandled, storedAt[0]);
        Measurement m = Measurement.of(jobs, end - start, sink.latencies());
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    private Measurement clientRound(RawNatsBaseline client, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        client.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastAck = client.publish(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastAck) - start, sink.latencies());
    }
}
