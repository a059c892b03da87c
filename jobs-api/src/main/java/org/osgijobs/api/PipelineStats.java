package org.osgijobs.api;

/**
 * Counters of one pipeline since it was created in this runtime.
 *
 * @param pipeline         the pipeline's name
 * @param pushed           messages accepted by push
 * @param pushErrors       pushes that failed
 * @param processed        jobs whose handler returned normally
 * @param failed           handler failures (exceptions and timeouts)
 * @param timedOut         handler runs cancelled by {@code job_timeout}
 * @param requeued         jobs put back for a later attempt (retries, handler requeues, missing handlers)
 * @param deadLettered     jobs moved to the dead-letter pipeline after their last attempt
 * @param noHandler        jobs that found no handler for their name and were requeued
 * @param inFlight         jobs running in a handler now
 * @param queued           jobs waiting in the runtime and the driver now
 * @param delayed          jobs waiting for their delay now
 * @param meanRunMicros    mean handler run time, in microseconds
 */
public record PipelineStats(String pipeline, long pushed, long pushErrors, long processed, long failed,
        long timedOut, long requeued, long deadLettered, long noHandler, long inFlight, long queued, long delayed,
        long meanRunMicros) {
}
