package org.osgijobs.benchmarks;

import java.util.concurrent.TimeUnit;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * An unthrottled round on a memory pipeline, as {@code memory-noop} makes it: one producer pushes every job with
 * {@link Jobs#push} as fast as it can; jobs/s from the first push to the last handler, latency from each push to its
 * handler's start; afterwards the pipeline is checked to have processed and acknowledged every job.
 */
final class MemoryRounds {
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private MemoryRounds() {
    }

    static Measurement unthrottled(Jobs runtime, BenchHandler handler, String pipeline, String job, int jobs,
            Progress progress) throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(pipeline);
        byte[] scratch = new byte[Payloads.SIZE]; // the builder copies it: one payload array per job, as usual
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            runtime.push(Message.builder(job).id(Integer.toString(i)).pipeline(pipeline).payload(scratch).build());
        }
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Measurement m = Measurement.of(jobs, last - start, sink.latencies());
        PipelineChecks.awaitSettled(runtime, pipeline, before, jobs);
        return m;
    }
}
