package org.osgijobs.api.handler;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** One job as its handler sees it, with the means to decide its outcome. */
@ProviderType
public interface JobContext {

    /** The header that carries the attempt count of a job. */
    String ATTEMPT_HEADER = "x-jobs-attempt";

    /** @return the job's id */
    String id();

    /** @return the job's name (its type) */
    String name();

    /** @return the pipeline the job came from */
    String pipeline();

    /** @return the job's priority */
    long priority();

    /** @return a copy of the payload */
    byte[] payload();

    /** @return the payload decoded as UTF-8 */
    String payloadAsString();

    /** @return the headers, unmodifiable */
    Map<String, List<String>> headers();

    /**
     * @param key a header name
     * @return its first value, or {@code null}
     */
    String header(String key);

    /** @return which attempt this is: 1 for the first run */
    int attempt();

    /**
     * Puts the job back, to run again after a delay, with the given headers added to its own. This does not use
     * up an attempt. The handler's return then no longer acknowledges the job.
     *
     * @param headers headers to add or replace; may be empty
     * @param delay   seconds before the job runs again
     */
    void requeue(Map<String, List<String>> headers, int delay);

    /**
     * Rejects the job. With {@code requeue} it runs again after the delay without using up an attempt; without,
     * it goes to the pipeline's dead-letter pipeline if it has one, and is dropped otherwise. The handler's return
     * then no longer acknowledges the job.
     *
     * @param requeue put the job back
     * @param delay   seconds before it runs again, when requeued
     */
    void nack(boolean requeue, int delay);

    /**
     * @return {@code true} once the runtime has given up on this run (timeout, handler departure, shutdown): the
     *         handler should stop; its outcome no longer counts
     */
    boolean isCancelled();
}
