package org.osgijobs.driver.jdbc.internal;

import java.util.List;
import java.util.Map;

/**
 * The SQL that differs between databases, one implementation per database; every statement names the table it is
 * given (a plain SQL name, checked by {@link ConnectionSettings}). Times are the database's own clock ({@code now()}),
 * so that runtimes whose clocks differ agree on leases and delays.
 */
interface Dialect {

    /**
     * The schema version this driver writes and reads. 1: the jobs table; 2: and the done table (option
     * {@code keep_done}). A table of version 1 is migrated forward when first used.
     */
    int SCHEMA_VERSION = 2;

    /** @return the database's name, for messages */
    String name();

    /** @return the most characters a job's name, id and pipeline may have in the table */
    int maxNameLength();

    /** @return properties for the database's {@code DataSourceFactory}, besides url, user and password */
    Map<String, String> dataSourceProperties();

    /** @return a statement run first in the schema's transaction that serialises runtimes creating it at once */
    String schemaLock(String table);

    /** @return one row with one boolean column: whether the version table exists (no parameter) */
    String versionTableExists(String table);

    /** @return creates the version table when missing */
    String createVersionTable(String table);

    /** @return reads the version: one row, one int column, or no row */
    String readVersion(String table);

    /** @return writes the version (one int parameter) */
    String insertVersion(String table);

    /** @return creates the jobs table when missing */
    String createJobsTable(String table);

    /** @return the indexes, created when missing */
    List<String> createIndexes(String table);

    /** @return selects every column the driver uses and no row: fails on a table of another shape */
    String probeColumns(String table);

    /** @return creates the done table ({@code <table>_done}, schema version 2) when missing */
    String createDoneTable(String table);

    /** @return the done table's indexes, created when missing */
    List<String> createDoneIndexes(String table);

    /** @return selects every column of the done table and no row */
    String probeDoneColumns(String table);

    /**
     * @return copies an acknowledged row this runtime holds into the done table, marked done now (the delete
     *         follows in the same transaction); parameters: id, locked_by
     */
    String archive(String table);

    /** @return deletes the pipeline's done rows done longer ago than the seconds; parameters: pipeline, seconds */
    String purgeDone(String table);

    /**
     * @return the insert of one job; parameters: pipeline, job_id, name, priority, delay seconds (a double), payload,
     *         headers (JSON), auto_ack, attempt
     */
    String insert(String table);

    /**
     * Claims ready rows of a pipeline in priority-then-FIFO order, skipping rows other transactions hold, leases
     * them, counts an attempt for each row whose expired lease it took over (the attempt column; the headers in the
     * row keep the attempt they were written with, the column wins), and commits.
     *
     * @return the rows, in any order (the caller sorts), each with its attempt as counted and whether an expired
     *         lease was taken over
     */
    List<ClaimedRow> claim(java.sql.Connection c, String table, String pipeline, int limit, String lockedBy,
            double leaseSeconds, int timeoutSeconds) throws java.sql.SQLException;

    /** Deletes settled rows this runtime holds (one statement), in the connection's transaction. */
    void deleteAll(java.sql.Connection c, String table, List<Long> ids, String lockedBy, int timeoutSeconds)
            throws java.sql.SQLException;

    /**
     * @return stores a requeued row again in place, unlocked; parameters: delay seconds (a double), headers, attempt,
     *         id, locked_by
     */
    String requeue(String table);

    /** @return unlocks a row this runtime holds and did not run; parameters: id, locked_by */
    String release(String table);

    /**
     * Unlocks the rows leased to this driver that it does not hold (a claim whose answer was lost), in the
     * connection's transaction.
     *
     * @return how many
     */
    int releaseOrphans(java.sql.Connection c, String table, String lockedBy, List<Long> held, int timeoutSeconds)
            throws java.sql.SQLException;

    /** @return extends the lease of every row this runtime holds; parameters: lease seconds (a double), locked_by */
    String renew(String table);

    /** @return releases what {@link #schemaLock(String)} took when it outlives the transaction, or {@code null} */
    String schemaUnlock(String table);

    /** @return subscribes a connection to the table's push signals, or {@code null} when the database has none */
    String listen(String table);

    /** @return signals a push into a pipeline to every listening runtime at commit, or {@code null}; parameter: pipeline */
    String signal(String table);

    /**
     * Waits for push signals on a connection that {@link #listen(String) listens}.
     *
     * @return the pipelines pushed to, possibly with repeats; empty when none came within the time
     */
    List<String> awaitSignals(java.sql.Connection listening, int millis) throws java.sql.SQLException;

    /** @return counts of the pipeline's rows: columns ready, delayed, taken; parameter: pipeline */
    String counts(String table);

    /**
     * @return the pipeline's waiting rows (not leased), the ready ones in claim order and then the delayed ones by due
     *         time: columns job_id, name, priority, payload, headers, auto_ack, seconds until due (0 when ready);
     *         parameters: pipeline, limit
     */
    String browse(String table);

    /**
     * @return deletes one waiting row (not leased) of the pipeline with that job id, the oldest, returning the same
     *         columns as {@link #browse}; parameters: pipeline, job id
     */
    String removeWaiting(String table);
}
