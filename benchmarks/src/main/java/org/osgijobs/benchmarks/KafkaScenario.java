package org.osgijobs.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * A Kafka pipeline (produces acknowledged by all in-sync replicas, a consumer group committing only what was
 * settled, prefetch 500 per partition: the baseline's max.poll.records) on a topic of 3 partitions with 2 workers and a no-op handler; one producer
 * pushes with {@link Jobs#pushAsync}. Baseline: {@link RawKafkaBaseline}, kafka-clients alone against the same broker
 * with the same acks, partitions and window, a consumer committing after processing. The broker is
 * {@code 127.0.0.1:9092}, or the system property {@code bench.kafka}.
 */
final class KafkaScenario implements Scenario {
    static final String PIPELINE = "bench-kafka";
    static final String JOB = "bench.kafka";
    private static final int DOCUMENTED_JOBS = 50_000;
    private static final int WORKERS = 2;
    private static final int PARTITIONS = 3;
    /** As many jobs in flight per partition as the baseline consumer takes in one poll (max.poll.records). */
    private static final int PREFETCH = 500;
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String summary() {
        return "kafka pipeline, acks=all, commits up to the first unsettled job, prefetch " + PREFETCH
                + " per partition, " + PARTITIONS + " partitions, " + WORKERS + " workers, async push; baseline"
                + " kafka-clients alone";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        String brokers = System.getProperty("bench.kafka", "127.0.0.1:9092");
        String unreachable = unreachable(brokers);
        if (unreachable != null) {
            return Result.skipped(name(), unreachable);
        }
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String runtimeTopic = "osgijobs-bench-runtime-" + run;
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.kafka", Map.of("brokers", brokers)),
                List.of("driver-kafka"), List.of("kafka"));
                RawKafkaBaseline client = new RawKafkaBaseline(brokers, "osgijobs-bench-client-" + run, PARTITIONS,
                        WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "kafka",
                    "consumer_options.topics", runtimeTopic, "group_options.group_id", runtimeTopic + "-group",
                    "auto_create_topics_enable", "true", "topic_partitions", Integer.toString(PARTITIONS),
                    "prefetch", Integer.toString(PREFETCH)));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);
            try {
                List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                        new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, n, progress)),
                        new Rounds.Side("client", n -> clientRound(client, n, progress))));
                Measurement runtime = Measurement.medians(rounds.get(0));
                Measurement baseline = Measurement.medians(rounds.get(1));
                double ratio = runtime.jobsPerS() / baseline.jobsPerS();
                String notes = String.format("%,d jobs/round, %d partitions, acks=all, window %d, %d worker threads"
                        + " seen; baseline: one consumer handling on its poll thread and committing after each"
                        + " poll, bare 100-byte values (the driver adds RoadRunner's three rr_* headers); baseline"
                        + " p50 %s p99 %s us", jobs, PARTITIONS, WINDOW, workers, Report.number(baseline.p50Us()),
                        Report.number(baseline.p99Us()));
                return Result.measured(name(), runtime, baseline, "ratio >= " + TARGET_RATIO,
                        ratio >= TARGET_RATIO, notes).withNote("jobs/s of the rounds: runtime "
                                + Rounds.range(rounds.get(0)) + ", client " + Rounds.range(rounds.get(1)));
            } finally {
                framework.jobs().destroy(PIPELINE);
                client.delete(Set.of(runtimeTopic, runtimeTopic + ".delay"));
            }
        }
    }

    private static String unreachable(String brokers) {
        String first = brokers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    2000);
            return null;
        } catch (java.io.IOException e) {
            return "Kafka is not reachable on " + first + " (" + e.getMessage() + "): run .ci/start-kafka";
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
        Semaphore room = new Semaphore(WINDOW);
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

    private Measurement clientRound(RawKafkaBaseline client, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        client.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastAck = client.produce(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastAck) - start, sink.latencies());
    }
}
