package org.osgijobs.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.Jobs;

/**
 * A peer side by side: JobRunr with its in-memory storage and 2 workers, at its default poll interval and at the
 * smallest it allows, running the same no-op job as a memory pipeline with 2 workers, all in the same run and with
 * the same job count. The row's figure is the memory pipeline, its baseline JobRunr at the default poll interval;
 * JobRunr at the smallest poll interval is a third side (extras and notes). No target: the ratio shows what the
 * architecture (a push into an in-memory queue against a storage polled by a server) buys.
 */
final class JobRunrScenario implements Scenario {
    private static final String PIPELINE = "bench-peer";
    private static final String JOB = "bench.peer";
    private static final int WORKERS = 2;
    private static final int DOCUMENTED_JOBS = 100;
    private static final long ROUND_TIMEOUT_SECONDS = 600;

    @Override
    public String name() {
        return "peer-jobrunr";
    }

    @Override
    public String summary() {
        return "memory pipeline against JobRunr (in-memory storage, " + WORKERS + " workers, default and smallest"
                + " poll interval), same no-op job";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000)), List.of("driver-memory"),
                List.of("memory"))) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "memory"));
            framework.jobs().resume(PIPELINE);
            WorkerThreads.await(WORKERS, 10);

            Rounds.Side runtime = new Rounds.Side("runtime",
                    n -> MemoryRounds.unthrottled(framework.jobs(), handler, PIPELINE, JOB, n, progress));
            List<Measurement> atDefault;
            List<Measurement> atSmallest;
            List<Measurement> product;
            // one JobRunr at a time: its configuration is global to the JVM (JobRunr.configure)
            try (JobRunrPeer peer = new JobRunrPeer(WORKERS, JobRunrPeer.DEFAULT_POLL)) {
                List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(runtime,
                        new Rounds.Side("jobrunr default poll", n -> peerRound(peer, n, progress))));
                product = rounds.get(0);
                atDefault = rounds.get(1);
            }
            try (JobRunrPeer peer = new JobRunrPeer(WORKERS, JobRunrPeer.SMALLEST_POLL)) {
                List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(runtime,
                        new Rounds.Side("jobrunr smallest poll", n -> peerRound(peer, n, progress))));
                product = concat(product, rounds.get(0));
                atSmallest = rounds.get(1);
            }
            Measurement memory = Measurement.medians(product);
            Measurement slow = Measurement.medians(atDefault);
            Measurement fast = Measurement.medians(atSmallest);
            String notes = String.format(Locale.ROOT, "%,d jobs/round, each side %d workers; baseline = JobRunr %s"
                    + " (org.jobrunr:jobrunr, InMemoryStorageProvider, on the runner's class path, not in the OSGi"
                    + " framework) at its default poll interval of %d s; at its smallest allowed, %d ms: %s jobs/s,"
                    + " p50 %s us, p99 %s us (memory pipeline %.0fx that); JobRunr's job carries the push time as"
                    + " a long argument, the pipeline's a 100-byte payload; JobRunr at its default poll interval: %.2f"
                    + " jobs/s, p50 %s us, p99 %s us; jobs/s of the rounds: runtime %s, JobRunr default poll %s,"
                    + " smallest poll %s", jobs, WORKERS, JobRunrPeer.version(),
                    JobRunrPeer.DEFAULT_POLL.toSeconds(), JobRunrPeer.SMALLEST_POLL.toMillis(),
                    Report.number(fast.jobsPerS()), Report.number(fast.p50Us()), Report.number(fast.p99Us()),
                    memory.jobsPerS() / fast.jobsPerS(), slow.jobsPerS(), Report.number(slow.p50Us()),
                    Report.number(slow.p99Us()), Rounds.range(product), finerRange(atDefault),
                    finerRange(atSmallest));
            return Result.measured(name(), memory, slow, "", null, notes)
                    // baseline_jobs_per_s is a whole number in the JSON: about 1-2 here
                    .withExtra("peer_default_poll_jobs_per_s", slow.jobsPerS())
                    .withExtra("peer_smallest_poll_jobs_per_s", fast.jobsPerS())
                    .withExtra("peer_smallest_poll_ratio", memory.jobsPerS() / fast.jobsPerS())
                    .withExtra("peer_smallest_poll_p50_us", fast.p50Us())
                    .withExtra("peer_smallest_poll_p99_us", fast.p99Us());
        }
    }

    private static Measurement peerRound(JobRunrPeer peer, int jobs, Progress progress) throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        JobRunrJob.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            peer.enqueue();
        }
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, last - start, sink.latencies());
    }

    /** @return min-max jobs/s with two decimals: a peer's rounds may run a few jobs a second */
    private static String finerRange(List<Measurement> rounds) {
        double min = rounds.stream().mapToDouble(Measurement::jobsPerS).min().orElse(Double.NaN);
        double max = rounds.stream().mapToDouble(Measurement::jobsPerS).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.2f-%.2f", min, max);
    }

    private static List<Measurement> concat(List<Measurement> a, List<Measurement> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
