package org.osgijobs.api;

/**
 * A snapshot of one pipeline, as RoadRunner's Jobs plugin reports it.
 *
 * @param pipeline     the pipeline's name
 * @param driver       the driver's name ({@code memory}, {@code amqp}, ...)
 * @param queue        the driver's queue (broker queue name), or the pipeline name where the driver has none
 * @param active       jobs waiting to be taken (for a broker: messages ready in its queue)
 * @param delayed      jobs waiting for their delay to pass
 * @param reserved     jobs taken and not yet acknowledged
 * @param ready        {@code true} while the pipeline is consuming
 * @param priority     the pipeline's priority
 * @param errorMessage why the pipeline is not working (driver unavailable, bad option, unreachable broker), or
 *                     empty
 */
public record State(String pipeline, String driver, String queue, long active, long delayed, long reserved,
        boolean ready, long priority, String errorMessage) {

    /** Normalises a {@code null} error message to the empty string. */
    public State {
        errorMessage = errorMessage == null ? "" : errorMessage;
    }
}
