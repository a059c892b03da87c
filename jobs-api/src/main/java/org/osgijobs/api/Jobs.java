package org.osgijobs.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The job runtime's service for producers and operators: push jobs into pipelines, and manage the pipelines.
 * <p>
 * Every method reports bad input and failures with a {@link JobsException} whose message names the problem.
 */
@ProviderType
public interface Jobs {

    /** Pipeline option: the pipeline's name. */
    String OPTION_NAME = "name";
    /** Pipeline option: the driver's name, matched against the constructors' {@code driver.name}. */
    String OPTION_DRIVER = "driver";
    /** Pipeline option: the pipeline's priority (default 10). */
    String OPTION_PRIORITY = "priority";

    /**
     * Pushes one job and waits until the driver has stored it (for a broker: confirmed it).
     *
     * @param message the job; its {@code pipeline} must name an existing pipeline
     * @throws JobsException when the pipeline is unknown or unavailable, or the driver refuses the job
     */
    void push(Message message);

    /**
     * Pushes one job without waiting: the stage completes when the driver has stored it, or exceptionally with a
     * {@link JobsException}. Many pushes may be in flight at once; a broker driver confirms them as a window.
     *
     * @param message the job
     * @return completion of the push
     */
    CompletionStage<Void> pushAsync(Message message);

    /**
     * Pushes several jobs, in flight together, and waits for all of them.
     *
     * @param messages the jobs
     * @return one result per message, in the same order
     */
    List<PushResult> pushBatch(List<Message> messages);

    /**
     * Stops moving jobs of a pipeline to workers; pushes are still accepted.
     *
     * @param pipeline the pipeline's name
     */
    void pause(String pipeline);

    /**
     * Starts (or restarts) consuming a pipeline.
     *
     * @param pipeline the pipeline's name
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
     * Stops a pipeline and forgets it. Jobs still held by an in-process driver are discarded and their count is
     * logged; a broker keeps its own.
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
