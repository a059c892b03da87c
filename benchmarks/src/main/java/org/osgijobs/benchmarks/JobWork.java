package org.osgijobs.benchmarks;

/**
 * What a benchmark job does when it runs, identical for the runtime's handler and the baseline's threads: by
 * default it records the job in the round's {@link RoundSink} (the "no-op"), a scenario may add work before that.
 */
@FunctionalInterface
interface JobWork {
    /** Before the first round: nothing to record (no job is pushed then). */
    JobWork NONE = (payload, startNanos) -> {
    };

    /**
     * @param payload    the job's payload (see {@link Payloads})
     * @param startNanos when the handler started, {@link System#nanoTime()}
     */
    void run(byte[] payload, long startNanos);
}
