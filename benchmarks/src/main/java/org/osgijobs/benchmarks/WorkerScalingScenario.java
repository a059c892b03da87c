package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Scenario 5: a handler that burns a fixed CPU time per job; jobs/s with 2 workers (the row's figure) beside 1
 * worker (the row's baseline). On 2 cores the ideal ratio is 2; what is missing is dispatch overhead and whatever
 * else runs on the machine. Jobs are queued in the paused pipeline first and the clock runs from resume to the
 * last job, so the producer does not compete with the workers.
 */
final class WorkerScalingScenario implements Scenario {
    private static final String PIPELINE = "bench-cpu";
    private static final String JOB = "bench.cpu";
    private static final int DOCUMENTED_JOBS = 20_000;
    private static final int WORK_MICROS = 100;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private int workers = 1;

    @Override
    public String name() {
        return "memory-workers";
    }

    @Override
    public String summary() {
        return "memory pipeline, handler burning " + WORK_MICROS + " us of CPU per job: jobs/s with 2 workers"
                + " against 1 worker";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("calibrating the CPU work");
        BusyWork work = BusyWork.calibrated(WORK_MICROS);
        double bare = work.bareRate(Math.max(1, jobs / 4));
        progress.phase("starting the framework");
        workers = 1;
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(), Map.of("jobs", config(workers)),
                List.of("driver-memory"), List.of("memory"))) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "memory"));
            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "2 workers", n -> round(framework, handler, work, 2, n, progress),
                    "1 worker", n -> round(framework, handler, work, 1, n, progress));
            String notes = String.format("%,d jobs/round, %d us of CPU each (bare loop on one thread: %,.0f"
                    + " jobs/s); ideal ratio 2.0 on 2 cores; baseline = the runtime with 1 worker", jobs,
                    WORK_MICROS, bare);
            return Result.measured(name(), outcome.product(), outcome.baseline(), "", null, notes)
                    .withNote(outcome.spread("2 workers", "1 worker"));
        }
    }

    private Measurement round(EmbeddedFramework framework, BenchHandler handler, BusyWork work, int count,
            int jobs, Progress progress) throws InterruptedException {
        useWorkers(framework, count);
        Jobs runtime = framework.jobs();
        RoundSink sink = new RoundSink(jobs);
        handler.use((payload, startNanos) -> {
            work.burn();
            sink.handled(payload, startNanos);
        });
        PipelineStats before = runtime.stats(PIPELINE);
        byte[] scratch = new byte[Payloads.SIZE];
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            runtime.push(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(scratch).build());
        }
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        runtime.resume(PIPELINE);
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        runtime.pause(PIPELINE);
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        // latency would only measure how long the jobs waited in the paused pipeline: not reported
        return Measurement.throughput(jobs, last - start);
    }

    private void useWorkers(EmbeddedFramework framework, int count) throws InterruptedException {
        if (workers != count) {
            framework.reconfigure(config(count));
            workers = count;
        }
        int seen = WorkerThreads.await(count, 10);
        if (seen != count) {
            throw new IllegalStateException("num_workers=" + count + " configured, but " + seen
                    + " worker threads are running after 10 s");
        }
    }

    private static Map<String, Object> config(int count) {
        return Map.of("num_workers", count, "pipeline_size", 1_000_000);
    }
}
