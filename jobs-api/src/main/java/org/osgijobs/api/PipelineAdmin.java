package org.osgijobs.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's service: look at pipelines and change them. Kept apart from {@link JobProducer} so that each can
 * be granted alone. A handler may call these methods for its own pipeline: from a worker thread they do not wait
 * for the change to take effect (it would wait for the calling job itself), they only start it.
 * <p>
 * Every method reports bad input and failures with a {@link JobsException} whose message names the problem.
 */
@ProviderType
public interface PipelineAdmin {

    /** Pipeline option: the pipeline's name. */
    String OPTION_NAME = "name";
    /** Pipeline option: the driver's name, matched against the constructors' {@code driver.name}. */
    String OPTION_DRIVER = "driver";
    /** Pipeline option: the pipeline's priority (default 10). */
    String OPTION_PRIORITY = "priority";

    /** Header of a dead-lettered job: the pipeline it failed in. */
    String DEAD_LETTER_FROM_HEADER = "x-jobs-dead-letter-from";
    /** Header of a dead-lettered job: its last failure. */
    String ERROR_HEADER = "x-jobs-error";

    /**
     * Stops moving jobs of a pipeline to workers; pushes are still accepted. The pause is kept across driver swaps
     * and configuration edits.
     *
     * @param pipeline the pipeline's name
     */
    void pause(String pipeline);

    /**
     * Starts (or restarts) consuming a pipeline.
     *
     * @param pipeline the pipeline's name
     * @throws JobsException when the pipeline's options are invalid (naming the error)
     */
    void resume(String pipeline);

    /** @return the names of all pipelines, configured and declared, sorted */
    List<String> list();

    /**
     * Declares a pipeline at runtime. It starts paused unless it is listed in the runtime's {@code consume}.
     *
     * @param options the pipeline's options: {@code name} and {@code driver} are required, the rest are the
     *                driver's options as strings
     * @throws JobsException when an option is missing or malformed, the name is taken, or the driver is unknown
     */
    void declare(Map<String, String> options);

    /**
     * Stops a pipeline and forgets it. Its running jobs get up to the runtime's {@code timeout} to finish. Jobs
     * still held by an in-process driver are discarded and their count is logged; a broker keeps its own.
     *
     * @param pipeline the pipeline's name
     */
    void destroy(String pipeline);

    /** @return the state of every pipeline, sorted by name */
    List<State> stat();

    /**
     * @param pipeline the pipeline's name
     * @return its state
     */
    State stat(String pipeline);

    /**
     * @param pipeline the pipeline's name
     * @return its counters
     */
    PipelineStats stats(String pipeline);

    /**
     * Looks into a pipeline without changing it: the jobs its driver stores and has not handed to a worker yet, in
     * the order they would run. Meant for a dead-letter pipeline, whose jobs carry {@link #DEAD_LETTER_FROM_HEADER}
     * and {@link #ERROR_HEADER}.
     *
     * @param pipeline the pipeline's name
     * @param limit    at most this many jobs, from 1 to 1000
     * @return the jobs
     * @throws JobsException {@code UNKNOWN_PIPELINE}; {@code BAD_INPUT} when the limit is out of range or the
     *                       pipeline's driver cannot list its jobs (a broker that only delivers);
     *                       {@code UNAVAILABLE} while no driver serves the pipeline
     * @since 1.1
     */
    List<Message> waiting(String pipeline, int limit);

    /**
     * Runs a dead-lettered job again: takes it out of the dead-letter pipeline and pushes it into the pipeline it
     * failed in (its {@link #DEAD_LETTER_FROM_HEADER}), without the dead-letter headers and with its attempts
     * counted from 1 again (no {@link org.osgijobs.api.handler.JobContext#ATTEMPT_HEADER}). When that push fails, the job goes back into the dead-letter pipeline and the failure is
     * thrown.
     *
     * @param deadLetterPipeline the pipeline holding the job
     * @param jobId              the job's id
     * @return the pipeline the job went to
     * @throws JobsException {@code UNKNOWN_PIPELINE} for either pipeline; {@code BAD_INPUT} when no waiting job has
     *                       that id, when it names no pipeline it failed in, or when the driver cannot list its jobs;
     *                       the push's failure otherwise
     * @since 1.1
     */
    String runAgain(String deadLetterPipeline, String jobId);
}
