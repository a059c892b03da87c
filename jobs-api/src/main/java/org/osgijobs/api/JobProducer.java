package org.osgijobs.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The producer's service: push jobs into pipelines. It grants nothing else, so that a bundle (or, later, an HTTP
 * client) can be allowed to push without being allowed to pause, declare or destroy pipelines
 * ({@link PipelineAdmin}).
 * <p>
 * Failures are {@link JobsException}s whose {@link JobsException#kind() kind} says what a producer can do about
 * them: fix the input, retry later, or treat the outcome as unknown (the job may be stored).
 */
@ProviderType
public interface JobProducer {

    /**
     * Pushes one job and waits until the driver has stored it (for a broker: confirmed it), at most the runtime's
     * {@code timeout}. While the pipeline's driver is being replaced (bundle update, configuration edit), the push
     * waits for the next one up to the runtime's {@code driver_wait}; while the pipeline is full, up to
     * {@code timeout}.
     *
     * @param message the job; its {@code pipeline} must name an existing pipeline
     * @throws JobsException when the pipeline is unknown, unavailable or full, or the driver refuses the job
     */
    void push(Message message);

    /**
     * Pushes one job without waiting and without blocking the caller: the stage completes when the driver has
     * stored it, or exceptionally with a {@link JobsException}. Many pushes may be in flight at once; a broker
     * driver confirms them as a window. The stage never completes on a driver's I/O thread: dependent actions
     * may block (even push again).
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
}
