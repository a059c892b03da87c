package org.osgijobs.api.driver;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;

/**
 * Stores and orders the jobs of one pipeline. The runtime calls these methods from any thread; a driver is
 * thread-safe.
 */
@ConsumerType
public interface Driver {

    /**
     * Stores a job. Accepted while paused. The returned stage completes when the job is safe (for a broker: the
     * publish is confirmed), or exceptionally with a {@link org.osgijobs.api.JobsException} that says why not.
     * A driver may block the caller for back-pressure, and should keep many pushes in flight when it can.
     *
     * @param message the job; its pipeline is this driver's; a priority of 0 means the pipeline's priority
     * @return completion of the push
     */
    CompletionStage<Void> push(Message message);

    /**
     * Starts consuming: ready jobs are inserted into the runtime's {@link Queue}.
     *
     * @param pipeline the pipeline's options
     */
    void run(Pipeline pipeline);

    /**
     * Pauses consumption: no more jobs are inserted into the queue, and jobs already there but not yet taken are
     * withdrawn. Pushes are still accepted.
     *
     * @param pipeline the pipeline's name
     */
    void pause(String pipeline);

    /**
     * Resumes consumption after {@link #pause(String)}.
     *
     * @param pipeline the pipeline's name
     */
    void resume(String pipeline);

    /**
     * Stops the driver for good: consumption ends, the driver's jobs are withdrawn from the runtime's queue and
     * its resources are released. The runtime first calls {@link #pause(String)} (when the driver consumed), then
     * gives the pipeline's running jobs the rest of one shared deadline to finish, and only then calls
     * {@code stop()}: a driver need not wait for running jobs itself, and should return promptly. Jobs taken by
     * workers may still be settled afterwards (a job that overran the deadline): a broker driver lets the original
     * delivery go back to the broker ({@link Custody#BROKER}), an in-process driver answers {@link Custody#RUNTIME}
     * and the runtime keeps the job.
     *
     * @return the jobs this driver held in process that would otherwise be lost (queued, delayed, withdrawn),
     *         in the order they would have run, so that the runtime can push them into the next driver;
     *         empty for a driver whose jobs are kept by a broker
     */
    List<Message> stop();

    /** @return a snapshot of the pipeline's state as this driver sees it */
    State state();
}
