package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/** Ordering, prefetch, pause and settlement of a local pipeline, within one driver's life. */
public class LocalDriverOrderTest extends LocalFixture {

    @Test
    public void lowerPriorityFirstAndPushOrderAmongEquals() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = driver(queue);
        push(driver, message("a").priority(5).build());
        push(driver, message("b").priority(1).build());
        push(driver, message("c").priority(5).build());
        push(driver, msg("d")); // the pipeline's priority, 10
        push(driver, message("e").priority(1).build());
        driver.run(pipeline(PIPELINE));
        assertEquals(List.of("b", "e", "a", "c", "d"), names(take(queue, 5)));
    }

    @Test
    public void prefetchBoundsWhatTheRuntimeHoldsAndAnAckedSlotIsFreedAfterItsCommit() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue, "prefetch", "2");
        pushAll(driver, "a", "b", "c", "d");
        List<Job> first = take(queue, 2);
        assertEquals(List.of("a", "b"), names(first));
        assertNull("prefetch 2: no third job while two are unsettled", queue.poll(200, TimeUnit.MILLISECONDS));
        assertEquals(Custody.DONE, first.get(0).settle(Settlement.ack()));
        assertEquals(List.of("c"), names(take(queue, 1)));
        State state = driver.state();
        assertEquals(2, state.reserved()); // b and c at workers
        assertEquals(1, state.active()); // d waits
    }

    @Test
    public void pauseWithdrawsWaitingJobsAndResumeBringsThemBackInOrder() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue, "prefetch", "10");
        pushAll(driver, "a", "b", "c");
        Job a = take(queue, 1).get(0);
        driver.pause(PIPELINE);
        assertEquals(0, queue.size());
        assertTrue("pushes are accepted while paused", driver.push(msg("d")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS) == null);
        assertEquals(Custody.DONE, a.settle(Settlement.ack()));
        driver.resume(PIPELINE);
        assertEquals(List.of("b", "c", "d"), names(take(queue, 3)));
    }

    @Test
    public void aRequeuedJobKeepsItsNewHeadersAndGoesBehindTheReadyOnes() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue, "prefetch", "1");
        pushAll(driver, "a", "b");
        Job a = take(queue, 1).get(0);
        assertEquals(Custody.DRIVER, a.settle(Settlement.requeue(Map.of("x-jobs-attempt", List.of("2")), 0)));
        Job b = take(queue, 1).get(0);
        assertEquals("b", b.name());
        b.settle(Settlement.ack());
        Job again = take(queue, 1).get(0);
        assertEquals("a", again.name());
        assertEquals(List.of("2"), again.headers().get("x-jobs-attempt"));
        assertEquals("a second settlement changes nothing", Custody.DONE, a.settle(Settlement.ack()));
    }

    @Test
    public void aDelayedJobWaitsItsDelayAndThenQueuesBehindReadyJobsOfItsPriority() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue, "prefetch", "1");
        long pushed = System.nanoTime();
        push(driver, message("late").delay(1).build());
        push(driver, msg("now"));
        assertEquals(1, driver.state().delayed());
        Job now = take(queue, 1).get(0);
        assertEquals("now", now.name());
        now.settle(Settlement.ack());
        Job late = take(queue, 1).get(0);
        assertEquals("late", late.name());
        assertTrue("ran before its delay", System.nanoTime() - pushed >= TimeUnit.MILLISECONDS.toNanos(1000));
    }

    @Test
    public void headersPayloadAndAutoAckSurviveTheFile() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue);
        push(driver, message("h").payload(new byte[] {0, 1, (byte) 0xff}).header("trace", "t1", "t2")
                .autoAck(true).id("id-1").build());
        Job job = take(queue, 1).get(0);
        assertEquals("id-1", job.id());
        assertEquals(List.of("t1", "t2"), job.headers().get("trace"));
        assertTrue(job.autoAck());
        assertEquals(3, job.body().length);
        assertEquals((byte) 0xff, job.body()[2]);
        assertEquals(PIPELINE, job.groupId());
    }

    @Test
    public void aPushForAnotherPipelineIsRefused() {
        LocalDriver driver = driver(queue());
        String why = failure(driver.push(msg("x").toBuilder().pipeline("other").build())).getMessage();
        assertTrue(why, why.contains("'other'"));
    }
}
