package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** PostgreSQL only: inserts and settlements are written by threads of their own. */
public class JdbcWriterTest extends JdbcFixture {

    @Test
    public void settlementsAreWrittenWhileAnInsertWaits() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue, "prefetch", "10");
        pushAll(driver, "a", "b", "c");
        List<Job> jobs = take(queue, 3);
        try (Connection blocker = connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // holds a lock on the id sequence that an insert's nextval() waits for, and a delete does not need
            s.execute("ALTER SEQUENCE " + schema + ".osgijobs_jobs_id_seq CACHE 1");
            CompletableFuture<Void> blocked = driver.push(message("blocked").build()).toCompletableFuture();
            Poll.until("the insert waits for the lock", Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE"
                            + " 'INSERT INTO osgijobs_jobs%' AND ? IS NOT NULL") >= 1, () -> "not waiting");
            for (Job job : jobs) {
                job.settle(Settlement.ack());
            }
            Poll.until("the acknowledgements written while the insert waits", Duration.ofSeconds(8),
                    Duration.ofMillis(20), () -> rows() == 0, () -> "rows " + rows());
            assertFalse("the push still waits", blocked.isDone());
            blocker.rollback();
            blocked.join();
        }
        assertEquals("blocked", take(queue, 1).get(0).name());
    }
}
