package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MariaDB (10.6 or later: {@code SKIP LOCKED}). It has no {@code UPDATE … RETURNING}, so a claim is a
 * {@code SELECT … FOR UPDATE SKIP LOCKED} and an {@code UPDATE} of the rows it returned, in one transaction. DDL
 * commits on its own there, so creating the table is serialised by a named lock ({@code GET_LOCK}) of the session
 * instead of the transaction. Times are {@code DATETIME(6)} in the server's time zone, read and written with
 * {@code NOW(6)} only. No push signals: pipelines poll.
 */
final class MariaDbDialect implements Dialect {
    private static final String NOW = "NOW(6)";
    private static final String READY = "(locked_until IS NULL OR locked_until < " + NOW + ")";

    /** @return {@code NOW(6)} plus the seconds (a double parameter) */
    private static String nowPlusSeconds() {
        return "DATE_ADD(" + NOW + ", INTERVAL CAST(? * 1000000 AS SIGNED) MICROSECOND)";
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public int maxNameLength() {
        return 255; // VARCHAR(255): indexed
    }

    @Override
    public Map<String, String> dataSourceProperties() {
        return Map.of();
    }

    @Override
    public String schemaLock(String table) {
        return "SELECT GET_LOCK(CONCAT('osgijobs:', DATABASE(), '." + table + "'), 30)";
    }

    @Override
    public String schemaUnlock(String table) {
        return "SELECT RELEASE_LOCK(CONCAT('osgijobs:', DATABASE(), '." + table + "'))";
    }

    @Override
    public String versionTableExists(String table) {
        return "SELECT COUNT(*) > 0 FROM information_schema.tables WHERE table_schema = DATABASE()"
                + " AND table_name = '" + table + "_version'";
    }

    @Override
    public String createVersionTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + "_version (version INTEGER NOT NULL) ENGINE=InnoDB";
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
                + "  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
                + "  pipeline     VARCHAR(255) NOT NULL,\n"
                + "  job_id       VARCHAR(255) NOT NULL,\n"
                + "  name         VARCHAR(255) NOT NULL,\n"
                + "  priority     BIGINT NOT NULL,\n"
                + "  run_at       DATETIME(6) NOT NULL,\n"
                + "  payload      LONGBLOB NOT NULL,\n"
                + "  headers      LONGTEXT NOT NULL,\n"
                + "  auto_ack     BOOLEAN NOT NULL,\n"
                + "  attempt      INTEGER NOT NULL DEFAULT 1,\n"
                + "  locked_by    VARCHAR(255),\n"
                + "  locked_until DATETIME(6),\n"
                + "  created_at   DATETIME(6) NOT NULL DEFAULT NOW(6)\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public List<String> createIndexes(String table) {
        return List.of(
                "CREATE INDEX IF NOT EXISTS " + table + "_claim ON " + table + " (pipeline, priority, run_at, id)",
                "CREATE INDEX IF NOT EXISTS " + table + "_locked ON " + table + " (locked_by)");
    }

    @Override
    public String probeColumns(String table) {
        return "SELECT id, pipeline, job_id, name, priority, run_at, payload, headers, auto_ack, attempt, locked_by,"
                + " locked_until, created_at FROM " + table + " WHERE 1 = 0";
    }

    @Override
    public String createDoneTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + "_done (\n"
                + "  id           BIGINT NOT NULL PRIMARY KEY,\n"
                + "  pipeline     VARCHAR(255) NOT NULL,\n"
                + "  job_id       VARCHAR(255) NOT NULL,\n"
                + "  name         VARCHAR(255) NOT NULL,\n"
                + "  priority     BIGINT NOT NULL,\n"
                + "  payload      LONGBLOB NOT NULL,\n"
                + "  headers      LONGTEXT NOT NULL,\n"
                + "  attempt      INTEGER NOT NULL,\n"
                + "  created_at   DATETIME(6) NOT NULL,\n"
                + "  done_at      DATETIME(6) NOT NULL\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
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
                + " created_at, " + NOW + " FROM " + table + " WHERE id = ? AND locked_by = ?";
    }

    @Override
    public String purgeDone(String table) {
        return "DELETE FROM " + table + "_done WHERE pipeline = ? AND done_at < DATE_SUB(" + NOW
                + ", INTERVAL CAST(? * 1000000 AS SIGNED) MICROSECOND)";
    }

    @Override
    public String insert(String table) {
        return "INSERT INTO " + table + " (pipeline, job_id, name, priority, run_at, payload, headers, auto_ack,"
                + " attempt) VALUES (?, ?, ?, ?, " + nowPlusSeconds() + ", ?, ?, ?, ?)";
    }

    @Override
    public List<ClaimedRow> claim(Connection c, String table, String pipeline, int limit, String lockedBy,
            double leaseSeconds, int timeoutSeconds) throws SQLException {
        List<ClaimedRow> rows;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_id, name, priority, run_at, payload, headers,"
                + " auto_ack, attempt, locked_until IS NOT NULL FROM " + table + " WHERE pipeline = ? AND run_at <= "
                + NOW + " AND " + READY + " ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, pipeline);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                rows = ClaimedRow.readAll(rs);
            }
        }
        if (rows.isEmpty()) {
            c.commit();
            return rows;
        }
        // MariaDB assigns left to right, each seeing the ones before: the attempt reads the old locked_until
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET attempt = attempt + IF(locked_until"
                + " IS NULL, 0, 1), locked_by = ?, locked_until = " + nowPlusSeconds() + " WHERE id IN ("
                + placeholders(rows.size()) + ")")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, lockedBy);
            ps.setDouble(2, leaseSeconds);
            int i = 3;
            for (ClaimedRow row : rows) {
                ps.setLong(i++, row.id());
            }
            ps.executeUpdate();
        }
        c.commit();
        List<ClaimedRow> counted = new ArrayList<>(rows.size());
        for (ClaimedRow row : rows) {
            counted.add(!row.reclaimed() ? row : new ClaimedRow(row.id(), row.jobId(), row.name(), row.priority(),
                    row.runAtMicros(), row.payload(), row.headers(), row.autoAck(), row.attempt() + 1, true));
        }
        return counted;
    }

    @Override
    public void deleteAll(Connection c, String table, List<Long> ids, String lockedBy, int timeoutSeconds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id IN ("
                + placeholders(ids.size()) + ") AND locked_by = ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            int i = 1;
            for (long id : ids) {
                ps.setLong(i++, id);
            }
            ps.setString(i, lockedBy);
            ps.executeUpdate(); // a row that another runtime took over (this lease expired) is left to it
        }
    }

    @Override
    public String requeue(String table) {
        return "UPDATE " + table + " SET run_at = " + nowPlusSeconds() + ", headers = ?, attempt = ?,"
                + " locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?";
    }

    @Override
    public String release(String table) {
        return "UPDATE " + table + " SET locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?";
    }

    @Override
    public int releaseOrphans(Connection c, String table, String lockedBy, List<Long> held, int timeoutSeconds)
            throws SQLException {
        String sql = "UPDATE " + table + " SET locked_by = NULL, locked_until = NULL WHERE locked_by = ?"
                + (held.isEmpty() ? "" : " AND id NOT IN (" + placeholders(held.size()) + ")");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, lockedBy);
            int i = 2;
            for (long id : held) {
                ps.setLong(i++, id);
            }
            return ps.executeUpdate();
        }
    }

    @Override
    public String renew(String table) {
        return "UPDATE " + table + " SET locked_until = " + nowPlusSeconds() + " WHERE locked_by = ?";
    }

    @Override
    public String listen(String table) {
        return null;
    }

    @Override
    public String signal(String table) {
        return null;
    }

    @Override
    public List<String> awaitSignals(Connection listening, int millis) {
        return List.of();
    }

    @Override
    public String counts(String table) {
        return "SELECT COALESCE(SUM(CASE WHEN " + READY + " AND run_at <= " + NOW + " THEN 1 ELSE 0 END), 0),"
                + " COALESCE(SUM(CASE WHEN " + READY + " AND run_at > " + NOW + " THEN 1 ELSE 0 END), 0),"
                + " COALESCE(SUM(CASE WHEN NOT " + READY + " THEN 1 ELSE 0 END), 0) FROM " + table
                + " WHERE pipeline = ?";
    }

    private static String placeholders(int n) {
        List<String> marks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            marks.add("?");
        }
        return String.join(", ", marks);
    }

    /** Seconds until a row is due, 0 when it is. */
    private static final String DELAY = "GREATEST(0, CEIL(TIMESTAMPDIFF(MICROSECOND, " + NOW + ", run_at) / 1000000))";

    @Override
    public String browse(String table) {
        return "SELECT job_id, name, priority, payload, headers, auto_ack, " + DELAY + " FROM " + table
                + " WHERE pipeline = ? AND " + READY + " ORDER BY run_at > " + NOW + ", CASE WHEN run_at > " + NOW
                + " THEN run_at END, priority, run_at, id LIMIT ?";
    }

    @Override
    public String removeWaiting(String table) {
        // MariaDB's single-table DELETE takes ORDER BY, LIMIT and RETURNING; SKIP LOCKED is not needed: a row being
        // claimed is locked, and the claim's lease makes it not waiting once the claim commits
        return "DELETE FROM " + table + " WHERE pipeline = ? AND job_id = ? AND " + READY + " ORDER BY id LIMIT 1"
                + " RETURNING job_id, name, priority, payload, headers, auto_ack, " + DELAY;
    }
}
