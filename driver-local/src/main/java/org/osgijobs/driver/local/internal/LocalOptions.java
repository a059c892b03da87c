package org.osgijobs.driver.local.internal;

import java.nio.file.Path;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one local pipeline, read and checked once when its driver is built.
 *
 * @param file           the store's file
 * @param priority       the pipeline's priority, for jobs pushed with priority 0
 * @param prefetch       most jobs handed to the runtime whose settlement is not yet written to the file
 * @param sync           when pushes are forced to disk
 * @param maxJobs        most jobs the file holds for the pipeline (ready, delayed and running)
 * @param timeoutSeconds how long a push into a full pipeline waits for room
 */
record LocalOptions(Path file, long priority, int prefetch, SyncPolicy sync, int maxJobs, int timeoutSeconds) {
    static final String FILE = "file";
    static final String PREFETCH = "prefetch";
    static final String SYNC = "sync";
    static final String MAX_JOBS = "max_jobs";
    /** RoadRunner's boltdb default: also the most jobs that may run twice after a crash. */
    static final int DEFAULT_PREFETCH = 1_000;
    static final int DEFAULT_MAX_JOBS = 100_000;

    /**
     * @param pipeline   the pipeline's options
     * @param dataFolder where files named by a relative {@code file}, or by none, are kept
     * @throws JobsException of kind {@code BAD_INPUT} naming the option that is malformed
     */
    static LocalOptions of(Pipeline pipeline, Path dataFolder) {
        int prefetch = pipeline.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetch < 1) {
            throw pipeline.bad(PREFETCH, String.valueOf(prefetch), "at least 1");
        }
        int maxJobs = pipeline.getInt(MAX_JOBS, DEFAULT_MAX_JOBS);
        if (maxJobs < 1) {
            throw pipeline.bad(MAX_JOBS, String.valueOf(maxJobs), "at least 1");
        }
        String syncValue = pipeline.getString(SYNC, SyncPolicy.BATCH.toString());
        SyncPolicy sync = SyncPolicy.parse(syncValue);
        if (sync == null) {
            throw pipeline.bad(SYNC, syncValue, "always, batch or none");
        }
        String fileValue = pipeline.getString(FILE, "").trim();
        Path file;
        try {
            file = fileValue.isEmpty() ? dataFolder.resolve(fileNameFor(pipeline.name()))
                    : dataFolder.resolve(fileValue);
        } catch (java.nio.file.InvalidPathException e) {
            throw pipeline.bad(FILE, fileValue, "a file path");
        }
        return new LocalOptions(file.toAbsolutePath().normalize(), pipeline.priority(), prefetch, sync, maxJobs,
                Math.max(0, pipeline.getInt("timeout", 60)));
    }

    /**
     * @return {@code <pipeline>.db}, with every character that is not a letter, a digit, '.', '-' or '_' written as
     *         {@code %XX} of its UTF-8 bytes, so that any pipeline name gives one file in the data folder
     */
    static String fileNameFor(String pipeline) {
        StringBuilder name = new StringBuilder();
        for (byte b : pipeline.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || (c == '.' && name.length() > 0))) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return name.append(".db").toString();
    }
}
