package org.osgijobs.benchmarks;

import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;

/** The runtime side's handler: reads the payload, as any handler would, and runs the round's {@link JobWork}. */
final class BenchHandler implements JobHandler {
    private volatile JobWork work = JobWork.NONE;

    /** Sets what the next jobs do. */
    void use(JobWork next) {
        this.work = next;
    }

    @Override
    public void handle(JobContext job) {
        long start = System.nanoTime();
        work.run(job.payload(), start);
    }
}
