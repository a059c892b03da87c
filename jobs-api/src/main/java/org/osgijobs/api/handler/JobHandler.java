package org.osgijobs.api.handler;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Executes jobs. Register it as a service with the property {@value #JOB_NAME}: one name or several, or
 * {@code *} for any job. When several handlers match a job, the one with the highest {@code service.ranking}
 * wins (then the lowest {@code service.id}); an exact name beats {@code *}.
 * <p>
 * Returning normally acknowledges the job, unless the handler called {@link JobContext#requeue} or
 * {@link JobContext#nack} first. A thrown exception is a failure handled by the pipeline's retry policy. When the
 * handler's service goes away while it runs, or the job overruns {@code job_timeout}, the runtime sets
 * {@link JobContext#isCancelled()} and interrupts the thread; a handler should stop soon after.
 */
@ConsumerType
public interface JobHandler {

    /** The service property naming the jobs a handler executes ({@code String} or {@code String[]}). */
    String JOB_NAME = "job.name";

    /** The {@value #JOB_NAME} value that matches every job. */
    String ANY = "*";

    /**
     * Executes one job.
     *
     * @param job the job and the means to requeue or reject it
     * @throws Exception any failure: the job is retried or dead-lettered according to the pipeline
     */
    void handle(JobContext job) throws Exception;
}
