package org.osgijobs.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
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
 * A beanstalk pipeline (jobs put and answered {@code INSERTED}, reserved, deleted after the handler) with 2 workers
 * and a no-op handler; one producer pushes with {@link Jobs#pushAsync}. Baseline: {@link RawBeanstalkBaseline}, the
 * protocol spoken directly to the same server: put with the same window, reserve and delete on one connection per
 * worker. The server is 127.0.0.1:11300, or the system property {@code bench.beanstalk} (host:port).
 */
final class BeanstalkScenario implements Scenario {
    static final String PIPELINE = "bench-beanstalk";
    static final String JOB = "bench.beanstalk";
    private static final int DOCUMENTED_JOBS = 50_000;
    private static final int WORKERS = 2;
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    @Override
    public String name() {
        return "beanstalk";
    }

    @Override
    public String summary() {
        return "beanstalk pipeline, puts answered INSERTED, reserve and delete after the handler, " + WORKERS
                + " workers, async push; baseline the protocol alone (put/reserve/delete)";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        String address = System.getProperty("bench.beanstalk", "127.0.0.1:11300");
        String host = address.substring(0, address.lastIndexOf(':'));
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (java.io.IOException e) {
            return Result.skipped(name(), "beanstalkd is not reachable on " + address + " (" + e.getMessage()
                    + "): run .ci/start-beanstalkd");
        }
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.beanstalk", Map.of("addr", "tcp://" + address)),
                List.of("driver-beanstalk"), List.of("beanstalk"));
                RawBeanstalkBaseline client = new RawBeanstalkBaseline(host, port, "osgijobs-bench-client-" + suffix,
                        WORKERS, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "beanstalk",
                    "tube", "osgijobs-bench-runtime-" + suffix, "reserve_timeout", "1",
                    // as many reserving connections as the baseline has
                    "reserve_connections", Integer.toString(WORKERS)));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                    new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, n, progress)),
                    new Rounds.Side("client", n -> clientRound(client, n, progress))));
            Measurement runtime = Measurement.medians(rounds.get(0));
            Measurement baseline = Measurement.medians(rounds.get(1));
            double ratio = runtime.jobsPerS() / baseline.jobsPerS();
            String notes = String.format("%,d jobs/round, put window %d, %d worker threads seen; driver: %d"
                    + " consuming connections, prefetch 10; baseline: %d connections reserving and deleting one job"
                    + " at a time, bare 100-byte bodies (the driver puts RoadRunner's gob item, about 330 bytes);"
                    + " baseline p50 %s p99 %s us", jobs, WINDOW, workers,
                    WORKERS, WORKERS, Report.number(baseline.p50Us()), Report.number(baseline.p99Us()));
            return Result.measured(name(), runtime, baseline, "ratio >= " + TARGET_RATIO, ratio >= TARGET_RATIO,
                    notes).withNote("jobs/s of the rounds: runtime " + Rounds.range(rounds.get(0)) + ", client "
                            + Rounds.range(rounds.get(1)));
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

    private Measurement clientRound(RawBeanstalkBaseline client, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        client.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        long lastAnswer = client.publish(jobs, ROUND_TIMEOUT_SECONDS);
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, Math.max(lastHandled, lastAnswer) - start, sink.latencies());
    }
}
