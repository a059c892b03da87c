package org.osgijobs.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Scenario {@code local-<sync>}: a durable local pipeline (driver-local, one MVStore file) with the given
 * {@code sync}, 2 workers, a no-op handler; one producer pushes with {@link Jobs#pushAsync} keeping
 * {@value #WINDOW} pushes in flight. End to end: from the first push to the last handler run or push completion,
 * whichever is later; every round is checked (all processed once, acknowledged, nothing left). Baseline:
 * {@link LocalFileBaseline}, the same records appended to a file with a {@code FileChannel} and forced with the
 * same batching and window. After the rounds, bytes on disk per job: the file of a fresh paused pipeline holding a
 * round's jobs (all pushed, none acknowledged), and the same file once they all ran and were acknowledged.
 */
final class LocalScenario implements Scenario {
    static final String JOB = "bench.local";
    private static final int WORKERS = 2;
    /** Pushes in flight, for the runtime's producer and the baseline's alike. */
    static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.5;
    private static final double TARGET_JOBS_PER_S = 10_000;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private final LocalFileBaseline.Sync sync;
    private final int documentedJobs;

    /**
     * @param sync           the pipeline's {@code sync} and the baseline's forcing
     * @param documentedJobs jobs per round at scale 1
     */
    LocalScenario(LocalFileBaseline.Sync sync, int documentedJobs) {
        this.sync = sync;
        this.documentedJobs = documentedJobs;
    }

    @Override
    public String name() {
        return "local-" + sync.option();
    }

    @Override
    public String summary() {
        return "local pipeline (driver-local, MVStore file), sync=" + sync.option() + ", " + WORKERS + " workers, "
                + "no-op handler, async push with " + WINDOW + " in flight; baseline the same records appended to a "
                + "file with FileChannel, forced alike";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(documentedJobs);
        Path folder = settings.targetDir().resolve("bench-local").resolve(sync.option());
        deleteFiles(folder);
        Files.createDirectories(folder);
        String pipeline = "bench-local-" + sync.option();
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000)), List.of("driver-local"),
                List.of("local"));
                LocalFileBaseline baseline = new LocalFileBaseline(folder.resolve("baseline.log"), sync, WINDOW,
                        WORKERS)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, pipeline, Jobs.OPTION_DRIVER, "local",
                    "file", folder.resolve(pipeline + ".db").toString(), "sync", sync.option(),
                    "max_jobs", Integer.toString(Math.max(100_000, jobs + WINDOW))));
            framework.jobs().resume(pipeline);
            int workers = WorkerThreads.await(WORKERS, 10);

            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework.jobs(), handler, pipeline, n, progress),
                    "baseline", n -> baselineRound(baseline, pipeline, n, progress));

            Footprint footprint = footprint(framework, handler, folder, jobs, progress);
            double baselineBytes = (double) baseline.fileSize() / jobs;
            Measurement product = outcome.product().withBytesPerJob(footprint.pushedBytesPerJob());
            Measurement base = outcome.baseline().withBytesPerJob(baselineBytes);
            double ratio = product.jobsPerS() / base.jobsPerS();
            boolean batch = sync == LocalFileBaseline.Sync.BATCH;
            String target = batch ? "ratio >= " + TARGET_RATIO + " and >= " + Report.number(TARGET_JOBS_PER_S)
                    + " jobs/s" : "";
            Boolean met = batch ? ratio >= TARGET_RATIO && product.jobsPerS() >= TARGET_JOBS_PER_S : null;
            int recordBytes = LocalFileBaseline.record(10, 0, Integer.toString(jobs / 2), JOB, pipeline,
                    new byte[Payloads.SIZE]).length;
            String notes = String.format("%,d jobs/round, window %d, %d worker threads seen; a record is %d bytes; "
                    + "bytes on disk per job: %s with all %,d pushed and none acknowledged, %s once all were "
                    + "acknowledged (baseline: %s, its file only grows); baseline p50 %s p99 %s us", jobs, WINDOW,
                    workers, recordBytes, Report.number(footprint.pushedBytesPerJob()), jobs,
                    Report.number(footprint.settledBytesPerJob()), Report.number(baselineBytes),
                    Report.number(base.p50Us()), Report.number(base.p99Us()));
            return Result.measured(name(), product, base, target, met, notes)
                    .withExtra("bytes_per_job_acknowledged", footprint.settledBytesPerJob())
                    .withNote(outcome.spread("runtime", "baseline"));
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, String pipeline, int jobs,
            Progress progress) throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(pipeline);
        long start = System.nanoTime();
        long lastStored = push(runtime, pipeline, jobs, 0);
        long end = Math.max(lastStored, sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Measurement m = Measurement.of(jobs, end - start, sink.latencies());
        PipelineChecks.awaitSettled(runtime, pipeline, before, jobs);
        return m;
    }

    /**
     * Pushes the jobs with {@code pushAsync}, at most {@link #WINDOW} in flight, and waits until every push
     * completed.
     *
     * @return the {@link System#nanoTime()} at which the last push completed
     */
    private static long push(Jobs runtime, String pipeline, int jobs, int firstId) throws InterruptedException {
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        byte[] scratch = new byte[Payloads.SIZE];
        Semaphore room = new Semaphore(WINDOW);
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0); // stamped before waiting for room, as the baseline does
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(firstId + i)).pipeline(pipeline)
                    .payload(scratch).build()).whenComplete((ok, error) -> {
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
        if (!allStored.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + stored.get() + " of " + jobs + " pushes completed");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a push failed: " + failure.get(), failure.get());
        }
        return storedAt[0]; // the latch orders the write before this read
    }

    private Measurement baselineRound(LocalFileBaseline baseline, String pipeline, int jobs, Progress progress)
            throws Exception {
        baseline.startRound();
        RoundSink sink = new RoundSink(jobs);
        baseline.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            byte[] payload = Payloads.stampedNow(0);
            baseline.push(LocalFileBaseline.record(10, 0, Integer.toString(i), JOB, pipeline, payload), payload);
        }
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, last - start, sink.latencies());
    }

    /** Bytes on disk per job of a fresh pipeline's file: with all jobs pushed and none acknowledged, then after. */
    private record Footprint(double pushedBytesPerJob, double settledBytesPerJob) {
    }

    private Footprint footprint(EmbeddedFramework framework, BenchHandler handler, Path folder, int jobs,
            Progress progress) throws Exception {
        progress.phase("bytes on disk");
        Jobs runtime = framework.jobs();
        String pipeline = "bench-local-" + sync.option() + "-footprint";
        Path file = folder.resolve(pipeline + ".db");
        // a declared pipeline starts paused: every job stays in the file
        framework.declare(Map.of(Jobs.OPTION_NAME, pipeline, Jobs.OPTION_DRIVER, "local", "file", file.toString(),
                "sync", sync.option(), "max_jobs", Integer.toString(Math.max(jobs, 1))));
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(pipeline);
        push(runtime, pipeline, jobs, 0);
        long pushed = Files.size(file);
        runtime.resume(pipeline);
        sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        PipelineChecks.awaitSettled(runtime, pipeline, before, jobs);
        long settled = Files.size(file);
        runtime.destroy(pipeline);
        return new Footprint((double) pushed / jobs, (double) settled / jobs);
    }

    private static void deleteFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
