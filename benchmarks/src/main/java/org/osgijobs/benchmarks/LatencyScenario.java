package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Latency at a set rate: an {@link OpenLoop} producer pushes no-op jobs into a memory pipeline with 2 workers at a
 * fixed rate, or at a share of the saturation throughput that the same run measures first (an unthrottled round,
 * as in {@code memory-noop}). Latency counts from the moment the schedule wanted the job pushed to the start of its
 * handler, so a stalled producer does not hide the stall (coordinated omission). Baseline: {@link HandOffBaseline}
 * with 2 threads, fed by the same schedule.
 */
final class LatencyScenario implements Scenario {
    private static final String PIPELINE = "bench-latency";
    private static final String JOB = "bench.latency";
    private static final double TARGET_P99_US = 1000;
    private static final double TARGET_BASELINE_FACTOR = 2;
    /** Each round lasts this long at full scale: jobs = rate x seconds. */
    private static final double ROUND_SECONDS = 2;
    /** Jobs of an unthrottled round measuring the saturation throughput, at full scale. */
    private static final int SATURATION_JOBS = 200_000;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private final String name;
    private final double fixedRate;
    private final double saturationShare;

    private LatencyScenario(String name, double fixedRate, double saturationShare) {
        this.name = name;
        this.fixedRate = fixedRate;
        this.saturationShare = saturationShare;
    }

    /** A scenario at a fixed rate, in jobs/s. */
    static LatencyScenario atRate(String name, double jobsPerSecond) {
        return new LatencyScenario(name, jobsPerSecond, 0);
    }

    /** A scenario at a share (0..1) of the runtime's saturation throughput measured in the same run. */
    static LatencyScenario atShareOfSaturation(String name, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a share of saturation must be in (0, 1], got " + share);
        }
        return new LatencyScenario(name, 0, share);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        String rate = fixedRate > 0 ? String.format(Locale.ROOT, "%,.0f jobs/s", fixedRate)
                : String.format(Locale.ROOT, "%.0f %% of saturation", saturationShare * 100);
        return "memory pipeline, 2 workers, open-loop producer at " + rate + ": latency from the scheduled push to"
                + " the handler; baseline PriorityBlockingQueue + 2 threads at the same rate";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name,
                Map.of("jobs", Map.of("num_workers", MemoryThroughputScenario.WORKERS, "pipeline_size", 1_000_000)),
                List.of("driver-memory"), List.of("memory"));
                HandOffBaseline baseline = new HandOffBaseline(MemoryThroughputScenario.WORKERS)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "memory"));
            framework.jobs().resume(PIPELINE);
            WorkerThreads.await(MemoryThroughputScenario.WORKERS, 10);

            String rateNote;
            double rate;
            if (fixedRate > 0) {
                rate = fixedRate;
                rateNote = String.format(Locale.ROOT, "%,.0f jobs/s", rate);
            } else {
                double saturation = saturation(framework.jobs(), handler, settings, progress);
                rate = saturation * saturationShare;
                rateNote = String.format(Locale.ROOT, "%,.0f jobs/s (%.0f %% of the runtime's saturation of %,.0f"
                        + " jobs/s, median of its unthrottled rounds in this run)", rate, saturationShare * 100,
                        saturation);
            }
            int jobs = settings.jobs((int) Math.round(rate * ROUND_SECONDS));
            TailLatencies runtimeTail = new TailLatencies();
            TailLatencies baselineTail = new TailLatencies();
            TailLatencies runtimeLag = new TailLatencies();
            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework.jobs(), handler, rate, n, runtimeTail, runtimeLag,
                            progress),
                    "baseline", n -> baselineRound(baseline, rate, n, baselineTail, progress));

            int measured = settings.rounds();
            double p99 = outcome.product().p99Us();
            double baselineP99 = outcome.baseline().p99Us();
            boolean met = p99 < TARGET_P99_US && p99 <= TARGET_BASELINE_FACTOR * baselineP99;
            String notes = String.format(Locale.ROOT, "open loop at %s, %,d jobs/round, latency from the scheduled"
                    + " push to handler start; p99 %s us against the baseline's %s us (%.2fx); p99.9 %s us"
                    + " (baseline %s), max %s us (baseline %s, worst round %s); the producer began its pushes up to"
                    + " %s us late (median max of the runtime's rounds; counted in the latency, on both sides)",
                    rateNote, jobs, Report.number(p99), Report.number(baselineP99), p99 / baselineP99,
                    Report.number(runtimeTail.medianP999Us(measured)),
                    Report.number(baselineTail.medianP999Us(measured)),
                    Report.number(runtimeTail.medianMaxUs(measured)), Report.number(baselineTail.medianMaxUs(measured)),
                    Report.number(runtimeTail.worstMaxUs(measured)), Report.number(runtimeLag.medianMaxUs(measured)));
            return Result.measured(name, outcome.product(), outcome.baseline(), "p99 < " + (int) TARGET_P99_US
                    + " us and <= " + (int) TARGET_BASELINE_FACTOR + "x baseline p99", met, notes)
                    .withNote(outcome.spread("runtime", "baseline"))
                    .withExtra("rate_per_s", rate)
                    .withExtra("p999_us", runtimeTail.medianP999Us(measured))
                    .withExtra("max_us", runtimeTail.medianMaxUs(measured))
                    .withExtra("baseline_p999_us", baselineTail.medianP999Us(measured))
                    .withExtra("baseline_max_us", baselineTail.medianMaxUs(measured))
                    .withExtra("producer_lag_max_us", runtimeLag.medianMaxUs(measured));
        }
    }

    /** @return the median jobs/s of unthrottled rounds (warm-ups and measured rounds as the settings say) */
    private double saturation(Jobs runtime, BenchHandler handler, BenchSettings settings, Progress progress)
            throws Exception {
        int jobs = settings.jobs(SATURATION_JOBS);
        List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(new Rounds.Side(
                "saturation", n -> MemoryRounds.unthrottled(runtime, handler, PIPELINE, JOB, n, progress))));
        return Measurement.medians(rounds.get(0)).jobsPerS();
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, double rate, int jobs, TailLatencies tail,
            TailLatencies lag, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(PIPELINE);
        byte[] scratch = new byte[Payloads.SIZE]; // the builder copies it
        OpenLoop loop = new OpenLoop(rate);
        long start = loop.run(jobs, (i, due) -> {
            Payloads.stamp(scratch, due, 0);
            runtime.push(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(scratch).build());
        });
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Histogram latencies = sink.latencies();
        tail.record(latencies);
        lag.record(loop.lag());
        Measurement m = Measurement.of(jobs, last - start, latencies);
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    private Measurement baselineRound(HandOffBaseline baseline, double rate, int jobs, TailLatencies tail,
            Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        baseline.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        OpenLoop loop = new OpenLoop(rate);
        long start = loop.run(jobs, (i, due) -> {
            byte[] payload = new byte[Payloads.SIZE];
            Payloads.stamp(payload, due, 0);
            baseline.push(Integer.toString(i), JobMix.PIPELINE_PRIORITY, payload, 0);
        });
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Histogram latencies = sink.latencies();
        tail.record(latencies);
        return Measurement.of(jobs, last - start, latencies);
    }

}
