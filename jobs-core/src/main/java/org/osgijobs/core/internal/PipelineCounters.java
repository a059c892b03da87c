package org.osgijobs.core.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;

/** The live counters of one pipeline; contention-free on the hot path. */
final class PipelineCounters {
    final LongAdder pushed = new LongAdder();
    final LongAdder pushErrors = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder requeued = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder noHandler = new LongAdder();
    final LongAdder runNanos = new LongAdder();
    final LongAdder runs = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();

    void recordRun(long nanos) {
        runNanos.add(nanos);
        runs.increment();
    }

    PipelineStats snapshot(String pipeline, State state) {
        long count = runs.sum();
        long meanRunMicros = count == 0 ? 0 : runNanos.sum() / count / 1000;
        return new PipelineStats(pipeline, pushed.sum(), pushErrors.sum(), processed.sum(), failed.sum(),
                timedOut.sum(), requeued.sum(), deadLettered.sum(), noHandler.sum(), inFlight.get(), state.active(),
                state.delayed(), meanRunMicros);
    }
}
