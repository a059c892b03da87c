package org.osgijobs.logbridge.internal;

import java.util.Optional;

/**
 * Log entries whose exception comes from ordinary bad input, which get one line naming the cause instead of a
 * stack trace (the trace goes to DEBUG): a configuration file that ConfigAdmin refuses, such as one with the keys
 * {@code priority} and {@code Priority}, which FileInstall reports as "Failed to install artifact" with the
 * {@link IllegalArgumentException} wrapped twice.
 */
final class OrdinaryFailure {
    static final String FILEINSTALL = "org.apache.felix.fileinstall";
    private static final String INSTALL_FAILED = "Failed to install artifact";

    private OrdinaryFailure() {
    }

    /**
     * @param loggerName the entry's logger (its bundle's symbolic name)
     * @param message    the entry's message
     * @param error      the entry's exception, or {@code null}
     * @return the one line to log instead of message and trace, or empty to log them as they are
     */
    static Optional<String> of(String loggerName, String message, Throwable error) {
        if (error == null || message == null || !FILEINSTALL.equals(loggerName)
                || !message.startsWith(INSTALL_FAILED)) {
            return Optional.empty();
        }
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        if (!(root instanceof IllegalArgumentException)) {
            return Optional.empty();
        }
        return Optional.of(message + ": " + root.getMessage());
    }
}
