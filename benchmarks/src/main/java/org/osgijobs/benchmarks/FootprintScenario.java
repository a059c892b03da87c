package org.osgijobs.benchmarks;

import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;

/**
 * Scenario 4: 1,000,000 jobs of 100 bytes queued in a paused memory pipeline. Heap per job beyond its payload
 * (after full GCs) and push rate. Baseline: the same jobs as bare entries (id, priority, sequence, payload) offered
 * to a {@link PriorityBlockingQueue}. Jobs carry the runtime's default id (a version-4 UUID string); the baseline's
 * ids have the same form and are made the same cheap way (a random half drawn once, a counter), so that the push
 * rates compare storing jobs, not making ids.
 */
final class FootprintScenario implements Scenario {
    private static final String JOB = "bench.footprint";
    private static final int DOCUMENTED_JOBS = 1_000_000;
    private static final double TARGET_BYTES = 512;
    /** Issue 13: at most this many times the bare entry's bytes beyond the payload. */
    private static final double TARGET_BASELINE_FACTOR = 1.1;
    /** Progress is published every so many pushes, to keep the counter out of the measured loop. */
    private static final int PROGRESS_EVERY = 4096;

    private int round;

    @Override
    public String name() {
        return "memory-footprint";
    }

    @Override
    public String summary() {
        return "1,000,000 queued 100-byte jobs in a paused memory pipeline: heap per job beyond the payload, push"
                + " rate; baseline PriorityBlockingQueue of bare entries";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", 2, "pipeline_size", 1_000_000)), List.of("driver-memory"),
                List.of("memory"))) {
            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework, n, progress),
                    "baseline", n -> baselineRound(n, progress));
            double bytes = outcome.product().bytesPerJob();
            String notes = String.format("%,d jobs/round with the default (UUID) ids; jobs/s is the push rate into the"
                    + " paused pipeline; baseline entries take %s B/job beyond the payload (%.2fx)", jobs,
                    Report.number(outcome.baseline().bytesPerJob()), bytes / outcome.baseline().bytesPerJob());
            return Result.measured(name(), outcome.product(), outcome.baseline(),
                    "< " + (int) TARGET_BYTES + " B/job and <= " + TARGET_BASELINE_FACTOR + "x baseline",
                    bytes < TARGET_BYTES && bytes <= TARGET_BASELINE_FACTOR * outcome.baseline().bytesPerJob(), notes)
                    .withNote(outcome.spread("runtime", "baseline"));
        }
    }

    private Measurement runtimeRound(EmbeddedFramework framework, int jobs, Progress progress) throws Exception {
        Jobs runtime = framework.jobs();
        String pipeline = "bench-footprint-" + round++;
        // a declared pipeline starts paused: every job stays queued in the driver, whose bound must hold them all
        framework.declare(Map.of(Jobs.OPTION_NAME, pipeline, Jobs.OPTION_DRIVER, "memory", "max_jobs",
                Integer.toString(jobs)));
        AtomicInteger pushed = new AtomicInteger();
        progress.counting(pushed::get, jobs);
        long before = Heap.usedAfterGc();
        byte[] scratch = new byte[Payloads.SIZE];
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, i, 0);
            runtime.push(Message.builder(JOB).pipeline(pipeline).payload(scratch).build());
            if (i % PROGRESS_EVERY == 0) {
                pushed.lazySet(i);
            }
        }
        long elapsed = System.nanoTime() - start;
        pushed.set(jobs);
        long after = Heap.usedAfterGc();
        State state = runtime.stat(pipeline);
        if (state.active() != jobs || state.ready()) {
            throw new IllegalStateException("pipeline '" + pipeline + "' should hold " + jobs
                    + " paused jobs, its state is " + state);
        }
        runtime.destroy(pipeline); // discards the jobs (and logs how many)
        return Measurement.throughput(jobs, elapsed).withBytesPerJob(perJob(after - before, jobs));
    }

    private Measurement baselineRound(int jobs, Progress progress) throws InterruptedException {
        AtomicInteger pushed = new AtomicInteger();
        progress.counting(pushed::get, jobs);
        long before = Heap.usedAfterGc();
        PriorityBlockingQueue<HandOffBaseline.Entry> queue = new PriorityBlockingQueue<>(11, HandOffBaseline.ORDER);
        long idPrefix = (ThreadLocalRandom.current().nextLong() & ~0xF000L) | 0x4000L; // version 4
        long idCounter = ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            byte[] payload = new byte[Payloads.SIZE];
            Payloads.stamp(payload, i, 0);
            queue.offer(new HandOffBaseline.Entry(new UUID(idPrefix, idCounter++).toString(),
                    JobMix.PIPELINE_PRIORITY, i, payload));
            if (i % PROGRESS_EVERY == 0) {
                pushed.lazySet(i);
            }
        }
        long elapsed = System.nanoTime() - start;
        pushed.set(jobs);
        long after = Heap.usedAfterGc();
        Reference.reachabilityFence(queue);
        return Measurement.throughput(jobs, elapsed).withBytesPerJob(perJob(after - before, jobs));
    }

    private static double perJob(long bytes, int jobs) {
        return (double) bytes / jobs - Payloads.SIZE;
    }
}
