package org.osgijobs.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.JobsException;

/**
 * A whiteboard service the runtime tells of each push and each run as it completes, for metrics (latency and run
 * time histograms) and tracing. Counters need no observer: {@link org.osgijobs.api.PipelineAdmin#stats(String)}
 * has them.
 * <p>
 * The runtime calls observers on the thread that completed the push or ran the job, outside its locks: a method
 * must return at once (record and go), must not block and must not call back into the runtime. An exception
 * thrown by an observer is logged and otherwise ignored. Every method has an empty default, so that methods can be
 * added in minor versions.
 */
@ConsumerType
public interface JobsObserver {

    /**
     * A push completed: the driver stored the job.
     *
     * @param pipeline     the pipeline
     * @param latencyNanos from the push call until the driver confirmed it
     */
    default void pushed(String pipeline, long latencyNanos) {
    }

    /**
     * A push failed.
     *
     * @param pipeline     the pipeline (known to the runtime)
     * @param latencyNanos from the push call until it failed
     * @param kind         what kind of failure it was
     */
    default void pushFailed(String pipeline, long latencyNanos, JobsException.Kind kind) {
    }

    /**
     * A handler finished running a job (its settlement may still follow).
     *
     * @param pipeline  the pipeline
     * @param jobName   the job's name
     * @param runNanos  how long the handler ran
     * @param succeeded {@code true} when the handler returned normally without rejecting or requeuing the job
     *                  and was not cancelled
     */
    default void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
    }
}
