package org.osgijobs.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Base64;
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
 * An SQS pipeline (long polling 1 s, 10 messages per receive, 100 in flight, deletes batched) with 2 workers and a
 * no-op handler; one producer pushes with {@link Jobs#pushAsync}, the driver batching what is in flight. Baseline:
 * {@link RawSqsBaseline}, the AWS SDK client alone against the same server with the same sends (batches of ten,
 * RoadRunner's six attributes, the same number of sender threads), receives and batched deletes. The payload is
 * base64 text on both sides (an SQS body is text). The server is ElasticMQ on {@code http://127.0.0.1:9324}
 * ({@code .ci/start-elasticmq}), or the system property {@code bench.sqs}.
 */
final class SqsScenario implements Scenario {
    static final String PIPELINE = "bench-sqs";
    static final String JOB = "bench.sqs";
    private static final int DOCUMENTED_JOBS = 20_000;
    private static final int WORKERS = 2;
    private static final int IN_FLIGHT = 100;
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    public String summary() {
        return "sqs pipeline on ElasticMQ, batched sends and deletes, long polling, " + IN_FLIGHT + " in flight, "
                + WORKERS + " workers, async push; baseline the AWS SDK client alone";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        String endpoint = System.getProperty("bench.sqs", "http://127.0.0.1:9324");
        String unreachable = unreachable(endpoint);
        if (unreachable != null) {
            return Result.skipped(name(), unreachable);
        }
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.sqs", Map.of("endpoint", endpoint, "region", "us-east-1", "key", "bench",
                                "secret", "bench")),
                List.of("driver-sqs"), List.of("sqs"));
                RawSqsBaseline client = new RawSqsBaseline(endpoint, RawSqsBaseline.queueName("osgijobs-bench-client"),
                        WORKERS, IN_FLIGHT, 1, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "sqs",
                    "queue", RawSqsBaseline.queueName("osgijobs-bench-runtime"), "prefetch", "10",
                    "max_messages_in_flight", Integer.toString(IN_FLIGHT), "wait_time_seconds", "1"));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                    new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, n, progress)),
                    new Rounds.Side("client", n -> clientRound(client, n, progress))));
            Measurement runtime = Measurement.medians(rounds.get(0));
            Measurement baseline = Measurement.medians(rounds.get(1));
            double ratio = runtime.jobsPerS() / baseline.jobsPerS();
            String notes = String.format("%,d jobs/round, %d worker threads seen; baseline: SendMessageBatch of 10"
                    + " with RoadRunner's attributes from %d threads, one long-polling receiver (10 per receive,"
                    + " %d in flight), %d worker threads, DeleteMessageBatch; baseline p50 %s p99 %s us", jobs,
                    workers, RawSqsBaseline.SENDERS, IN_FLIGHT, WORKERS, Report.number(baseline.p50Us()),
                    Report.number(baseline.p99Us()));
            return Result.measured(name(), runtime, baseline, "ratio >= " + TARGET_RATIO, ratio >= TARGET_RATIO,
                    notes).withNote("jobs/s of the rounds: runtime " + Rounds.range(rounds.get(0)) + ", client "
                            + Rounds.range(rounds.get(1)));
        }
    }

    private static String unreachable(String endpoint) {
        URI uri = URI.create(endpoint);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()), 2000);
            return null;
        } catch (java.io.IOException e) {
            return "SQS (ElasticMQ) is not reachable on " + uri.getHost() + ":" + uri.getPort() + " ("
                    + e.getMessage() + "): run .ci/start-elasticmq";
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, int jobs, Progress progress)
            throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use((payload, start) -> sink.handled(Base64.getDecoder().decode(payload), start));
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(PIPELINE);
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        Semaphore room = new Semaphore(WINDOW);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            String body = Base64.getEncoder().encodeToString(Payloads.stampedNow(0));
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(body)
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

    private Measurement clientRound(RawSqsBaseline client, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        client.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastAnswer = client.send(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastAnswer) - start, sink.latencies());
    }
}
