package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/**
 * Schema version 2: option {@code keep_done} keeps acknowledged jobs in the done table for its seconds, then they are
 * purged; a table of version 1 is migrated forward when first used.
 */
public class JdbcKeepDoneTest extends JdbcFixture {

    @Test
    public void acknowledgedJobsAreKeptAsDoneForKeepDoneSecondsThenPurged() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue, "keep_done", "3");
        push(driver, message("kept").payload("the payload".getBytes(StandardCharsets.UTF_8)).build());
        push(driver, message("rejected").build());
        List<Job> jobs = take(queue, 2);
        jobs.get(0).settle(Settlement.ack());
        jobs.get(1).settle(Settlement.reject());
        assertTrue("the rows left the jobs table", rowsEventuallyGone());
        long settled = System.nanoTime();
        assertEquals("only the acknowledged job is kept as done", List.of("kept"), doneIds());
        assertArrayEquals("the payload is kept", "the payload".getBytes(StandardCharsets.UTF_8),
                donePayload("kept"));
        Poll.until("the done job purged after keep_done", Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> doneIds().isEmpty(), () -> "done: " + doneIds());
        double after = (System.nanoTime() - settled) / 1e9;
        // purged no earlier than its 3 s (less the time the ack took to be written), and at most half of it later
        assertTrue("purged after " + after + " s", after >= 2.5);
        System.out.printf("jdbc keep_done=3: the done row was purged %.2f s after the ack%n", after);
    }

    @Test
    public void withoutKeepDoneAnAcknowledgedJobLeavesNothing() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        push(driver, message("gone").build());
        take(queue, 1).get(0).settle(Settlement.ack());
        assertTrue(rowsEventuallyGone());
        assertEquals(List.of(), doneIds());
    }

    @Test
    public void aTableOfSchemaVersionOneIsMigratedAndItsJobsRun() throws Exception {
        // what driver-jdbc's schema version 1 created, with a job waiting in it
        Dialect v1 = dialect();
        String table = "legacy_jobs";
        try (Connection c = connectInSchema(); Statement s = c.createStatement()) {
            s.execute(v1.createVersionTable(table));
            s.execute(v1.createJobsTable(table));
            for (String index : v1.createIndexes(table)) {
                s.execute(index);
            }
            s.execute("INSERT INTO " + table + "_version VALUES (1)");
            s.execute("INSERT INTO " + table + " (pipeline, job_id, name, priority, run_at, payload, headers,"
                    + " auto_ack) VALUES ('" + pipeline + "', 'old', 'old', 10, now(), '', '{}', false)");
        }
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime("table", table), queue, "keep_done", "60");
        Job old = take(queue, 1).get(0);
        assertEquals("old", old.name());
        old.settle(Settlement.ack());
        Poll.until("the migrated table keeps the done job", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> doneIds(table).contains("old"), () -> "done: " + doneIds(table));
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(version) FROM " + schema + "." + table + "_version")) {
            rs.next();
            assertEquals(Dialect.SCHEMA_VERSION, rs.getInt(1));
        }
        push(driver, message("new").build());
        assertEquals("new", take(queue, 1).get(0).name());
    }

    private List<String> doneIds() throws SQLException {
        return doneIds(ConnectionSettings.DEFAULT_TABLE);
    }

    private List<String> doneIds(String table) throws SQLException {
        List<String> ids = new java.util.ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT job_id FROM " + schema + "."
                + table + "_done WHERE pipeline = ? ORDER BY id")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private byte[] donePayload(String id) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT payload FROM " + schema + "."
                + ConnectionSettings.DEFAULT_TABLE + "_done WHERE pipeline = ? AND job_id = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }
}
