package org.osgijobs.benchmarks;

import java.util.concurrent.TimeUnit;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;

/**
 * Checks, outside the timed part of a round, that the runtime did what the round claims: every job pushed without
 * error, handled once and acknowledged. A round that fails a check is an error, not a figure.
 */
final class PipelineChecks {
    private static final long SETTLE_SECONDS = 60;

    private PipelineChecks() {
    }

    /**
     * Waits until {@code jobs} more jobs than in {@code before} were processed and nothing of the pipeline is left
     * queued, delayed or unacknowledged.
     *
     * @throws IllegalStateException when that does not happen in time, or pushes failed
     */
    static void awaitSettled(Jobs runtime, String pipeline, PipelineStats before, int jobs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        while (true) {
            PipelineStats now = runtime.stats(pipeline);
            State state = runtime.stat(pipeline);
            long processed = now.processed() - before.processed();
            long pushErrors = now.pushErrors() - before.pushErrors();
            if (pushErrors != 0 || now.failed() != before.failed()) {
                throw new IllegalStateException("pipeline '" + pipeline + "': " + pushErrors + " push errors and "
                        + (now.failed() - before.failed()) + " failed jobs in the round");
            }
            if (processed == jobs && state.active() == 0 && state.delayed() == 0 && state.reserved() == 0) {
                return;
            }
            if (processed > jobs) {
                throw new IllegalStateException("pipeline '" + pipeline + "': " + processed + " jobs processed, "
                        + jobs + " pushed: some ran twice");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline '" + pipeline + "' did not settle: " + processed + "/"
                        + jobs + " processed, state " + state);
            }
            Thread.sleep(5);
        }
    }
}
