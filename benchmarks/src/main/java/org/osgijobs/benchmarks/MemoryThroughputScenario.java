package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Scenarios 1 and 2: one producer thread pushes into a memory pipeline served by 2 workers running a no-op
 * handler; end-to-end jobs/s (first push to last handler) and latency from push (or due time) to handler start.
 * Baseline: {@link HandOffBaseline} with 2 threads and the same job stream.
 */
final class MemoryThroughputScenario implements Scenario {
    static final int WORKERS = 2;
    private static final String PIPELINE = "bench-memory";
    private static final String JOB = "bench.noop";
    private static final double TARGET_RATIO = 0.5;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private final String name;
    private final int documentedJobs;
    private final JobMix mix;

    MemoryThroughputScenario(String name, int documentedJobs, JobMix mix) {
        this.name = name;
        this.documentedJobs = documentedJobs;
        this.mix = mix;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return "memory pipeline, " + WORKERS + " workers, no-op handler, " + mix.name()
                + "; baseline PriorityBlockingQueue + " + WORKERS + " threads";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(documentedJobs);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name,
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000)), List.of("driver-memory"),
                List.of("memory"));
                HandOffBaseline baseline = new HandOffBaseline(WORKERS)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "memory"));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework.jobs(), handler, n, progress),
                    "baseline", n -> baselineRound(baseline, n, progress));

            double ratio = outcome.product().jobsPerS() / outcome.baseline().jobsPerS();
            String notes = String.format("%s; %,d jobs/round, 1 producer, %d worker threads seen; baseline p50 %s"
                    + " p99 %s us; latency at saturation (unthrottled producer)%s", mix.name(), jobs, workers,
                    Report.number(outcome.baseline().p50Us()), Report.number(outcome.baseline().p99Us()),
                    mix.requestedWaitNanos(jobs) > 0 ? "; the 1 s delay is subtracted from the elapsed time, and"
                            + " delayed jobs' latency counts from their due time" : "");
            return Result.measured(name, outcome.product(), outcome.baseline(), "ratio >= " + TARGET_RATIO,
                    ratio >= TARGET_RATIO, notes)
                    .withNote(outcome.spread("runtime", "baseline"));
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, int jobs, Progress progress)
            throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(PIPELINE);
        byte[] scratch = new byte[Payloads.SIZE]; // the builder copies it: one payload array per job, as usual
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            int delay = mix.delaySeconds(i);
            Payloads.stamp(scratch, System.nanoTime(), delay);
            runtime.push(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE)
                    .priority(mix.messagePriority(i)).delay(delay).payload(scratch).build());
        }
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Measurement m = Measurement.of(jobs, last - start - mix.requestedWaitNanos(jobs), sink.latencies());
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    private Measurement baselineRound(HandOffBaseline baseline, int jobs, Progress progress)
            throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        baseline.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            int delay = mix.delaySeconds(i);
            baseline.push(Integer.toString(i), mix.effectivePriority(i), Payloads.stampedNow(delay), delay);
        }
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, last - start - mix.requestedWaitNanos(jobs), sink.latencies());
    }
}
