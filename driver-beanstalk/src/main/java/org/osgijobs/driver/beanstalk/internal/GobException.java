package org.osgijobs.driver.beanstalk.internal;

/** A body that is not a well-formed gob stream, or not one of the shape expected. */
final class GobException extends Exception {
    private static final long serialVersionUID = 1L;

    GobException(String message) {
        super(message);
    }
}
