package org.osgijobs.driver.jdbc.internal;

import java.util.Comparator;

/**
 * One row as a claim returned it.
 *
 * @param reclaimed whether its previous lease had expired: a runtime took it and never settled it
 */
record ClaimedRow(long id, String jobId, String name, long priority, long runAtMicros, byte[] payload, String headers,
        boolean autoAck, int attempt, boolean reclaimed) {

    /**
     * @param rs a result whose columns are id, job_id, name, priority, run_at, payload, headers, auto_ack, attempt,
     *           reclaimed
     * @return its rows
     */
    static java.util.List<ClaimedRow> readAll(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.util.List<ClaimedRow> rows = new java.util.ArrayList<>();
        while (rs.next()) {
            java.sql.Timestamp runAt = rs.getTimestamp(5);
            rows.add(new ClaimedRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    runAt.getTime() * 1000 + (runAt.getNanos() / 1000) % 1000, rs.getBytes(6), rs.getString(7),
                    rs.getBoolean(8), rs.getInt(9), rs.getBoolean(10)));
        }
        return rows;
    }

    /** The table's claim order: priority, then due time, then insertion. */
    static final Comparator<ClaimedRow> ORDER = Comparator.comparingLong(ClaimedRow::priority)
            .thenComparingLong(ClaimedRow::runAtMicros).thenComparingLong(ClaimedRow::id);
}
