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
}
