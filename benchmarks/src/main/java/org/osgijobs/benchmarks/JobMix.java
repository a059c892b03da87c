package org.osgijobs.benchmarks;

/**
 * The priorities and delays of a stream of jobs, the same for the runtime and its baseline.
 *
 * @param name        how the notes describe it
 * @param priorities  distinct priorities, cycled through ({@code 1} for all jobs at the pipeline's priority)
 * @param delayedEvery every how many jobs one is delayed ({@code 0} for none)
 */
record JobMix(String name, int priorities, int delayedEvery) {
    /** The pipeline's priority, which a message with priority 0 inherits. */
    static final long PIPELINE_PRIORITY = 10;
    /** The delay of a delayed job: the shortest the API can express. */
    static final int DELAY_SECONDS = 1;

    static final JobMix UNIFORM = new JobMix("one priority, no delays", 1, 0);
    static final JobMix MIXED = new JobMix("10 priorities, 10 % delayed by 1 s", 10, 10);

    /** @return the priority a producer gives job {@code i}: 0 (inherit) for a uniform mix, else 1..priorities */
    long messagePriority(int i) {
        return priorities == 1 ? 0 : 1 + i % priorities;
    }

    /** @return the priority job {@code i} is ordered by */
    long effectivePriority(int i) {
        long p = messagePriority(i);
        return p == 0 ? PIPELINE_PRIORITY : p;
    }

    /** @return the delay of job {@code i}, in seconds; the delayed ones are spread evenly over the stream */
    int delaySeconds(int i) {
        return delayedEvery > 0 && i % delayedEvery == delayedEvery / 2 ? DELAY_SECONDS : 0;
    }

    /**
     * @return the part of a round's elapsed time that is the delay asked for, not work: the last delayed job is
     *         pushed near the end of the round and cannot run before its delay has passed
     */
    long requestedWaitNanos(int jobs) {
        return delayedEvery > 0 && jobs > delayedEvery / 2 ? DELAY_SECONDS * 1_000_000_000L : 0;
    }
}
