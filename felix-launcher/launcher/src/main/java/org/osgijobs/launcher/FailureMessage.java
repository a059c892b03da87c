package org.osgijobs.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What a failed script statement is reported with: the message of the failure itself, past the wrappers that
 * reflection puts around it. Gogo calls commands reflectively and passes a command's exception on unwrapped, but
 * wraps an {@link Error} in an {@link InvocationTargetException} without a message; the launcher calls Gogo
 * reflectively in turn.
 */
final class FailureMessage {

    private FailureMessage() {
    }

    /**
     * @param failure what the statement threw
     * @return the message of the innermost throwable that is not a mere wrapper; its type as well when it is an
     *         {@link Error} (a {@code NoClassDefFoundError}'s message alone is a class name) or has no message
     */
    static String of(Throwable failure) {
        Throwable t = failure;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (t.getCause() != null && isWrapper(t) && seen.add(t)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t instanceof Error || message == null || message.isBlank() ? t.toString() : message;
    }

    /** A throwable that only carries its cause: a reflection wrapper, or one without a message of its own. */
    private static boolean isWrapper(Throwable t) {
        if (t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException) {
            return true;
        }
        // new RuntimeException(cause), new ExecutionException(cause)...: the cause's toString() is the message
        String message = t.getMessage();
        return message == null || message.isBlank() || message.equals(t.getCause().toString());
    }
}
