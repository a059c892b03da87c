package org.osgijobs.core.internal;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/**
 * What the runtime itself reads from a pipeline's options (drivers read the rest), parsed once.
 *
 * @param retry      the retry and dead-letter policy
 * @param jobTimeout seconds a handler of this pipeline may run, 0 for the runtime's {@code job_timeout}
 * @param consume    whether a configured pipeline consumes when it appears
 */
record PipelineOptions(RetryPolicy retry, int jobTimeout, boolean consume) {

    /** Stands in for the options of a pipeline whose options are malformed: it has no driver until fixed. */
    static final PipelineOptions FALLBACK = new PipelineOptions(RetryPolicy.DEFAULTS, 0, false);

    /**
     * @throws JobsException naming the option when one is malformed (the priority is checked too)
     */
    static PipelineOptions of(Pipeline pipeline) {
        pipeline.priority();
        int jobTimeout = pipeline.getInt("job_timeout", 0);
        if (jobTimeout < 0) {
            throw pipeline.bad("job_timeout", String.valueOf(jobTimeout), "a number of seconds not below 0");
        }
        return new PipelineOptions(RetryPolicy.of(pipeline), jobTimeout, pipeline.getBool("consume", true));
    }
}
