package org.osgijobs.driver.jdbc.internal;

import java.util.List;
import java.util.Map;

/**
 * PostgreSQL (12 or later). Claiming is one statement: a CTE picks the rows with {@code FOR UPDATE SKIP LOCKED} in
 * the claim index's order, and an UPDATE of those rows sets the lease, returning them with whether their previous
 * lease had expired. Batched inserts are rewritten by pgjdbc into multi-row inserts ({@code reWriteBatchedInserts}).
 * A push is signalled with {@code pg_notify} in its transaction; runtimes {@code LISTEN} on one connection each (pgjdbc's
 * {@code PGConnection}, imported from the driver's bundle).
 */
final class PostgresDialect implements Dialect {
    private static final String READY = "(locked_until IS NULL OR locked_until < now())";

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public int maxNameLength() {
        return 10_000; // TEXT: any length, but a name this long is a mistake
    }

    @Override
    public Map<String, String> dataSourceProperties() {
        return Map.of("reWriteBatchedInserts", "true", "ApplicationName", "osgi-jobs");
    }

    @Override
    public String schemaLock(String table) {
        return "SELECT pg_advisory_xact_lock(hashtext('osgijobs:' || current_schema() || '." + table + "'))";
    }

    @Override
    public String versionTableExists(String table) {
        return "SELECT to_regclass('" + table + "_version') IS NOT NULL";
    }

    @Override
    public String createVersionTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + "_version (version INTEGER NOT NULL)";
    }

    @Override
    public String readVersion(String table) {
        return "SELECT max(version) FROM " + table + "_version";
    }

    @Override
    public String insertVersion(String table) {
        return "INSERT INTO " + table + "_version (version) VALUES (?)";
    }

    @Override
    public String createJobsTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (\n"
                + "  id           BIGSERIAL PRIMARY KEY,\n"
                + "  pipeline     TEXT NOT NULL,\n"
                + "  job_id       TEXT NOT NULL,\n"
                + "  name         TEXT NOT NULL,\n"
                + "  priority     BIGINT NOT NULL,\n"
                + "  run_at       TIMESTAMPTZ NOT NULL,\n"
                + "  payload      BYTEA NOT NULL,\n"
                + "  headers      TEXT NOT NULL,\n"
                + "  auto_ack     BOOLEAN NOT NULL,\n"
                + "  attempt      INTEGER NOT NULL DEFAULT 1,\n"
                + "  locked_by    TEXT,\n"
                + "  locked_until TIMESTAMPTZ,\n"
                + "  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()\n"
                + ")";
    }

    @Override
    public List<String> createIndexes(String table) {
        return List.of(
                "CREATE INDEX IF NOT EXISTS " + table + "_claim ON " + table + " (pipeline, priority, run_at, id)",
                "CREATE INDEX IF NOT EXISTS " + table + "_locked ON " + table + " (locked_by)"
                        + " WHERE locked_by IS NOT NULL");
    }

    @Override
    public String probeColumns(String table) {
        return "SELECT id, pipeline, job_id, name, priority, run_at, payload, headers, auto_ack, attempt, locked_by,"
                + " locked_until, created_at FROM " + table + " WHERE 1 = 0";
    }

    @Override
    public String createDoneTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + "_done (\n"
                + "  id           BIGINT PRIMARY KEY,\n"
                + "  pipeline     TEXT NOT NULL,\n"
                + "  job_id       TEXT NOT NULL,\n"
                + "  name         TEXT NOT NULL,\n"
                + "  priority     BIGINT NOT NULL,\n"
                + "  payload      BYTEA NOT NULL,\n"
                + "  headers      TEXT NOT NULL,\n"
                + "  attempt      INTEGER NOT NULL,\n"
                + "  created_at   TIMESTAMPTZ NOT NULL,\n"
                + "  done_at      TIMESTAMPTZ NOT NULL\n"
                + ")";
    }

    @Override
    public List<String> createDoneIndexes(String table) {
        return List.of("CREATE INDEX IF NOT EXISTS " + table + "_done_purge ON " + table + "_done (pipeline, done_at)");
    }

    @Override
    public String probeDoneColumns(String table) {
        return "SELECT id, pipeline, job_id, name, priority, payload, headers, attempt, created_at, done_at FROM "
                + table + "_done WHERE 1 = 0";
    }

    @Override
    public String archive(String table) {
        return "INSERT INTO " + table + "_done (id, pipeline, job_id, name, priority, payload, headers, attempt,"
                + " created_at, done_at) SELECT id, pipeline, job_id, name, priority, payload, headers, attempt,"
                + " created_at, now() FROM " + table + " WHERE id = ? AND locked_by = ?";
    }

    @Override
    public String purgeDone(String table) {
        return "DELETE FROM " + table + "_done WHERE pipeline = ? AND done_at < now() - ? * interval '1 second'";
    }

    @Override
    public String insert(String table) {
        return "INSERT INTO " + table + " (pipeline, job_id, name, priority, run_at, payload, headers, auto_ack,"
                + " attempt) VALUES (?, ?, ?, ?, now() + ? * interval '1 second', ?, ?, ?, ?)";
    }

    @Override
    public List<ClaimedRow> claim(java.sql.Connection c, String table, String pipeline, int limit, String lockedBy,
            double leaseSeconds, int timeoutSeconds) throws java.sql.SQLException {
        // one statement in auto-commit: one round trip, no separate COMMIT (it is atomic on its own)
        String sql = "WITH picked AS (SELECT id, locked_until IS NOT NULL AS reclaimed FROM " + table
                + " WHERE pipeline = ? AND run_at <= now() AND " + READY
                + " ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + table + " j SET locked_by = ?, locked_until = now() + ? * interval '1 second',"
                + " attempt = j.attempt + CASE WHEN picked.reclaimed THEN 1 ELSE 0 END"
                + " FROM picked WHERE j.id = picked.id"
                + " RETURNING j.id, j.job_id, j.name, j.priority, j.run_at, j.payload, j.headers, j.auto_ack,"
                + " j.attempt, picked.reclaimed";
        c.setAutoCommit(true);
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, pipeline);
            ps.setInt(2, limit);
            ps.setString(3, lockedBy);
            ps.setDouble(4, leaseSeconds);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return ClaimedRow.readAll(rs);
            }
        } finally {
            c.setAutoCommit(false);
        }
    }

    @Override
    public void deleteAll(java.sql.Connection c, String table, List<Long> ids, String lockedBy, int timeoutSeconds)
            throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY(?) AND"
                + " locked_by = ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray(new Long[0])));
            ps.setString(2, lockedBy);
            ps.executeUpdate(); // a row that another runtime took over (this lease expired) is left to it
        }
    }

    @Override
    public String requeue(String table) {
        return "UPDATE " + table + " SET run_at = now() + ? * interval '1 second', headers = ?, attempt = ?,"
                + " locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?";
    }

    @Override
    public String release(String table) {
        return "UPDATE " + table + " SET locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?";
    }

    @Override
    public int releaseOrphans(java.sql.Connection c, String table, String lockedBy, List<Long> held,
            int timeoutSeconds) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET locked_by = NULL,"
                + " locked_until = NULL WHERE locked_by = ? AND NOT (id = ANY(?))")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, lockedBy);
            ps.setArray(2, c.createArrayOf("bigint", held.toArray(new Long[0])));
            return ps.executeUpdate();
        }
    }

    @Override
    public String renew(String table) {
        return "UPDATE " + table + " SET locked_until = now() + ? * interval '1 second' WHERE locked_by = ?";
    }

    @Override
    public String schemaUnlock(String table) {
        return null; // the advisory lock is the transaction's
    }

    @Override
    public String listen(String table) {
        return "LISTEN osgijobs_" + table;
    }

    @Override
    public String signal(String table) {
        return "SELECT pg_notify('osgijobs_" + table + "', ?)";
    }

    @Override
    public List<String> awaitSignals(java.sql.Connection listening, int millis) throws java.sql.SQLException {
        org.postgresql.PGNotification[] signals = listening.unwrap(org.postgresql.PGConnection.class)
                .getNotifications(millis);
        if (signals == null || signals.length == 0) {
            return List.of();
        }
        List<String> pipelines = new java.util.ArrayList<>(signals.length);
        for (org.postgresql.PGNotification signal : signals) {
            pipelines.add(signal.getParameter());
        }
        return pipelines;
    }

    @Override
    public String counts(String table) {
        return "SELECT count(*) FILTER (WHERE " + READY + " AND run_at <= now()),"
                + " count(*) FILTER (WHERE " + READY + " AND run_at > now()),"
                + " count(*) FILTER (WHERE NOT " + READY + ") FROM " + table + " WHERE pipeline = ?";
    }

    /** Seconds until a row is due, 0 when it is. */
    private static final String DELAY = "GREATEST(0, CEIL(EXTRACT(EPOCH FROM (run_at - now()))))::int";

    @Override
    public String browse(String table) {
        return "SELECT job_id, name, priority, payload, headers, auto_ack, " + DELAY + " FROM " + table
                + " WHERE pipeline = ? AND " + READY + " ORDER BY run_at > now(), CASE WHEN run_at > now() THEN run_at"
                + " END, priority, run_at, id LIMIT ?";
    }

    @Override
    public String removeWaiting(String table) {
        return "DELETE FROM " + table + " WHERE id = (SELECT id FROM " + table + " WHERE pipeline = ? AND job_id = ?"
                + " AND " + READY + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING job_id, name, priority,"
                + " payload, headers, auto_ack, " + DELAY;
    }
}
