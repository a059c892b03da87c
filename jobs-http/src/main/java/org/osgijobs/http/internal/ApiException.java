package org.osgijobs.http.internal;

/** A request the API refuses before it reaches the runtime: an HTTP status, a message and the field at fault. */
class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiException(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiException badInput(String field, String message) {
        return new ApiException(400, field, message);
    }

    int status() {
        return status;
    }

    /** @return the request field (JSON member or header) at fault, or {@code null} */
    String field() {
        return field;
    }
}
