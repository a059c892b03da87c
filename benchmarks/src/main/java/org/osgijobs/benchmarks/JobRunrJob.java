package org.osgijobs.benchmarks;

/**
 * The no-op job JobRunr runs: JobRunr finds this public static method by analysing the enqueued lambda and calls it
 * by reflection on one of its workers. It rebuilds the stamped payload (JobRunr carries the push time as a job
 * argument, not a byte array) and runs the current round's {@link JobWork}, as the runtime's handler does.
 */
public final class JobRunrJob {
    // static: JobRunr calls a static method it knows by name, not an object the runner hands it
    private static volatile JobWork work = JobWork.NONE;

    private JobRunrJob() {
    }

    static void use(JobWork next) {
        work = next;
    }

    /** @param pushedAtNanos the {@link System#nanoTime()} just before the job was enqueued */
    public static void run(long pushedAtNanos) {
        long start = System.nanoTime();
        byte[] payload = new byte[Payloads.SIZE];
        Payloads.stamp(payload, pushedAtNanos, 0);
        work.run(payload, start);
    }
}
