package org.osgijobs.driver.jdbc.internal;

import java.util.Comparator;

/**
 * One row as a claim returned it.
 *
 * @param reclaimed whether its previous lease had expired: a runtime took it and never settled it
 */
record ClaimedRow(long id, String jobId, String name, long priority, long runAtMicros, byte[] payload, String headers,
        boolean autoAck, int attempt, boolean reclaimed) {

    /** The table's claim order: priority, then due time, then insertion. */
    static final Comparator<ClaimedRow> ORDER = Comparator.comparingLong(ClaimedRow::priority)
            .thenComparingLong(ClaimedRow::runAtMicros).thenComparingLong(ClaimedRow::id);
}
