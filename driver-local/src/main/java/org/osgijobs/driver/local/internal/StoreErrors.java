package org.osgijobs.driver.local.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.osgijobs.api.JobsException;

/**
 * Turns what the file system and MVStore throw into errors an operator can act on: one line naming the file and the
 * problem (a full disk, a lock held by another process, a file that is not a store), without MVStore's internals.
 */
final class StoreErrors {

    private StoreErrors() {
    }

    static JobsException onOpen(String prefix, Throwable e) {
        if (e instanceof MVStoreException store) {
            switch (store.getErrorCode()) {
            case DataUtils.ERROR_FILE_LOCKED:
                return new JobsException(JobsException.Kind.UNAVAILABLE, prefix + "is locked by another process "
                        + "or pipeline (one file serves one pipeline of one runtime)", e);
            case DataUtils.ERROR_FILE_CORRUPT:
            case DataUtils.ERROR_READING_FAILED:
            case DataUtils.ERROR_UNSUPPORTED_FORMAT:
                return new JobsException(JobsException.Kind.BAD_INPUT, prefix + "is not a job store or is corrupted ("
                        + describe(e) + "); it was left as it is", e);
            default:
                break;
            }
        }
        return new JobsException(JobsException.Kind.BAD_INPUT, prefix + "cannot be opened: " + describe(e), e);
    }

    static JobsException onWrite(String prefix, Throwable e) {
        return new JobsException(JobsException.Kind.UNAVAILABLE, prefix + "cannot be written: " + describe(e), e);
    }

    /** @return the deepest cause's message, with the usual I/O failures in plain words */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "the disk is full (No space left on device)";
        }
        if (lower.contains("read-only file system")) {
            return "the file system is read-only";
        }
        if (root instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied";
        }
        if (root instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        // MVStore appends its version and error code in brackets: not for operators
        return message.replaceAll("\\s*\\[\\d+\\.\\d+\\.\\d+/\\d+]$", "");
    }
}
