package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** One runtime on the real PostgreSQL: order, delays, settlements, pause, state. */
public class JdbcDriverTest extends JdbcFixture {

    @Test
    public void jobsComeByPriorityThenInPushOrder() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = driver(runtime(), queue);
        push(driver, message("a5").priority(5).build());
        push(driver, message("b1").priority(1).build());
        push(driver, message("c5").priority(5).build());
        push(driver, message("d1").priority(1).build());
        push(driver, message("e10").build()); // the pipeline's priority, 10
        driver.run(pipeline());
        List<Job> jobs = take(queue, 5);
        assertEquals(List.of("b1", "d1", "a5", "c5", "e10"), names(jobs));
        assertEquals(10, jobs.get(4).priority());
    }

    @Test
    public void whileTheRuntimesQueueHoldsJobsAClaimWaitsForHalfOfPrefetchToBeFree() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = driver(runtime(), queue, "prefetch", "10");
        for (int i = 0; i < 20; i++) {
            push(driver, message("j" + i).build());
        }
        driver.run(pipeline("prefetch", "10"));
        List<Job> first = take(queue, 3);
        Poll.until("10 leased", Duration.ofSeconds(10), Duration.ofMillis(20), () -> leased() == 10,
                () -> "leased " + leased());
        for (Job job : first) {
            job.settle(Settlement.ack());
        }
        Poll.until("3 rows deleted", Duration.ofSeconds(10), Duration.ofMillis(20), () -> rows() == 17,
                () -> "rows " + rows());
        // 3 free slots, 7 jobs waiting in the runtime's queue: rounds go by without a claim
        long seen = driver.claimRounds();
        Poll.until("two more rounds of the claim thread", Duration.ofSeconds(10), Duration.ofMillis(5),
                () -> driver.claimRounds() >= seen + 2, () -> "rounds " + driver.claimRounds());
        assertEquals("no claim of 3 while 7 jobs wait", 7, leased());
        for (Job job : take(queue, 2)) {
            job.settle(Settlement.ack());
        }
        Poll.until("5 free: claimed at once", Duration.ofSeconds(10), Duration.ofMillis(20), () -> leased() == 10,
                () -> "leased " + leased());
    }

    @Test
    public void whenTheRuntimesQueueIsEmptyAnyFreeSlotIsClaimed() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = driver(runtime(), queue, "prefetch", "10");
        for (int i = 0; i < 20; i++) {
            push(driver, message("j" + i).build());
        }
        driver.run(pipeline("prefetch", "10"));
        List<Job> running = take(queue, 10); // all at workers: the queue is empty
        running.get(0).settle(Settlement.ack());
        Job next = queue.take(10, TimeUnit.SECONDS);
        assertTrue("the one free slot was claimed although it is less than half of prefetch", next != null);
        assertEquals("j10", next.name());
    }

    private long leased() throws java.sql.SQLException {
        return query("SELECT count(*) FROM $table WHERE pipeline = ? AND locked_by IS NOT NULL");
    }

    @Test
    public void ackAndRejectDeleteTheRow() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        pushAll(driver, "a", "b");
        assertEquals(2, rows());
        List<Job> jobs = take(queue, 2);
        assertEquals(Custody.DONE, jobs.get(0).settle(Settlement.ack()));
        assertEquals(Custody.DONE, jobs.get(1).settle(Settlement.reject()));
        assertEquals(Custody.DONE, jobs.get(1).settle(Settlement.ack())); // only the first settlement counts
        assertTrue("rows deleted", Poll.eventually(() -> rowsQuietly() == 0, Duration.ofSeconds(10)));
    }

    @Test
    public void aDelayedJobComesAfterItsDelay() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        long pushed = System.nanoTime();
        push(driver, message("later").delay(2).build());
        push(driver, message("now").build());
        assertEquals("now", take(queue, 1).get(0).name());
        Job later = queue.take(10, TimeUnit.SECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushed);
        assertEquals("later", later.name());
        assertTrue("came after " + waitedMillis + " ms", waitedMillis >= 1900);
    }

    @Test
    public void aRequeuedJobKeepsItsHeadersAndAttemptAndGoesBehindTheReadyOnes() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue, "prefetch", "1");
        push(driver, message("first").header("k", "v").build());
        push(driver, message("second").build());
        Job first = take(queue, 1).get(0);
        Map<String, List<String>> headers = Map.of("k", List.of("v", "w"), JobContext.ATTEMPT_HEADER, List.of("2"));
        assertEquals(Custody.DRIVER, first.settle(Settlement.requeue(headers, 0)));
        Job second = take(queue, 1).get(0);
        assertEquals("second", second.name());
        second.settle(Settlement.ack());
        Job again = take(queue, 1).get(0);
        assertEquals("first", again.name());
        assertEquals(headers, again.headers());
        assertEquals(2, query("SELECT attempt FROM $table WHERE pipeline = ?"));
        again.settle(Settlement.requeue(again.headers(), 1));
        assertNull("a requeue with a delay of 1 s is not ready at once", queue.poll(300, TimeUnit.MILLISECONDS));
        assertEquals("first", take(queue, 1).get(0).name());
    }

    @Test
    public void pauseUnlocksTheWaitingJobsWithoutCountingAnAttempt() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        pushAll(driver, "a", "b", "c");
        assertTrue(Poll.eventually(() -> queue.size() == 3, Duration.ofSeconds(10)));
        driver.pause(pipeline);
        assertEquals(0, queue.size());
        assertTrue("rows unlocked", Poll.eventually(() -> {
            try {
                return query("SELECT count(*) FROM $table WHERE pipeline = ? AND locked_by IS NULL") == 3;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(10)));
        driver.resume(pipeline);
        List<Job> jobs = take(queue, 3);
        assertEquals(List.of("a", "b", "c"), names(jobs));
        jobs.forEach(job -> assertNull(job.headers().get(JobContext.ATTEMPT_HEADER)));
    }

    @Test
    public void stateCountsReadyDelayedAndTakenRows() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = driver(runtime(), queue, "priority", "3");
        pushAll(driver, "a", "b", "c");
        push(driver, message("d").delay(60).build());
        push(driver, message("e").delay(60).build());
        assertTrue(Poll.eventually(() -> {
            State s = driver.state();
            return s.active() == 3 && s.delayed() == 2 && s.reserved() == 0;
        }, Duration.ofSeconds(10)));
        State paused = driver.state();
        assertEquals("jdbc", paused.driver());
        assertEquals(3, paused.priority());
        assertEquals(false, paused.ready());
        driver.run(pipeline());
        take(queue, 3);
        assertTrue("taken rows counted: " + driver.state(), Poll.eventually(() -> {
            State s = driver.state();
            return s.active() == 0 && s.delayed() == 2 && s.reserved() == 3 && s.ready();
        }, Duration.ofSeconds(10)));
    }

    @Test
    public void aStoppedDriverLeavesItsJobsInTheTableForTheNextOne() throws Exception {
        JdbcConstructor runtime = runtime();
        TestQueue queue = queue();
        JdbcDriver first = running(runtime, queue);
        pushAll(first, "a", "b");
        assertTrue(Poll.eventually(() -> queue.size() == 2, Duration.ofSeconds(10)));
        assertEquals(List.of(), first.stop());
        assertEquals(0, queue.size());
        assertTrue(failure(first.push(message("c").build())).getMessage().contains("stopped"));
        JdbcDriver second = running(runtime, queue);
        assertEquals(List.of("a", "b"), names(take(queue, 2)));
        second.stop();
    }

    @Test
    public void anOverlongNameIsRefusedAloneAndTheOtherPushesGoOn() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        String overlong = "x".repeat(10_001);
        var refused = driver.push(message(overlong).id("long").build());
        push(driver, message("fine").build());
        assertTrue(failure(refused).getMessage().contains("a job's name and id may have at most"));
        assertEquals("fine", take(queue, 1).get(0).name());
    }

    private long rowsQuietly() {
        try {
            return rows();
        } catch (Exception e) {
            return -1;
        }
    }
}
