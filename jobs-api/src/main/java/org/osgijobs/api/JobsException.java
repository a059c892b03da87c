package org.osgijobs.api;

/**
 * The error every operation of the job runtime reports: its message names what was wrong (the pipeline, the
 * option, the driver) so that a user can act on it without reading a stack trace.
 */
public class JobsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the offending input
     */
    public JobsException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the offending input
     * @param cause   the underlying failure
     */
    public JobsException(String message, Throwable cause) {
        super(message, cause);
    }
}
