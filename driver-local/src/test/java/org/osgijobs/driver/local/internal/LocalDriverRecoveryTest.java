package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** What the file keeps across a driver's stop (bundle update, restart) and across a crash. */
public class LocalDriverRecoveryTest extends LocalFixture {

    @Test
    public void aStoppedDriverHandsNothingBackAndTheNextOneRunsEveryJobInOrder() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue, "prefetch", "2");
        pushAll(first, "a", "b", "c", "d");
        Job a = take(queue, 1).get(0);
        a.settle(Settlement.ack());
        first.pause(PIPELINE);
        assertEquals("the file keeps the jobs: nothing for the runtime to hold", List.of(), first.stop());
        assertEquals(0, queue.size());

        LocalDriver second = running(queue, "prefetch", "10");
        List<Job> rest = take(queue, 3);
        assertEquals(List.of("b", "c", "d"), names(rest));
        assertNull("jobs not running at the swap come back once", rest.get(0).headers().get("x-jobs-attempt"));
        assertNull(queue.poll(200, TimeUnit.MILLISECONDS));
        rest.forEach(job -> job.settle(Settlement.ack()));
    }

    @Test
    public void aJobSettledAfterItsDriverStoppedStaysInTheFileAndRunsAgainCounted() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue);
        pushAll(first, "slow");
        Job slow = take(queue, 1).get(0);
        first.stop(); // the job overran the stop's deadline
        assertEquals("the file keeps it", Custody.BROKER, slow.settle(Settlement.ack()));

        LocalDriver second = running(queue);
        Job again = take(queue, 1).get(0);
        assertEquals("slow", again.name());
        assertEquals(List.of("2"), again.headers().get("x-jobs-attempt"));
    }

    @Test
    public void afterACrashTakenJobsComeBackWithTheirAttemptCountedAndAckedOnesDoNot() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue, "prefetch", "3");
        pushAll(first, "done", "running", "waiting", "queued");
        List<Job> taken = take(queue, 2);
        taken.get(0).settle(Settlement.ack());
        awaitCommitted(first);
        first.crash();

        TestQueue after = queue();
        LocalDriver third = running(after);
        List<Job> back = take(after, 3);
        assertEquals(List.of("running", "waiting", "queued"), names(back));
        assertEquals("the job that ran at the crash counts an attempt", List.of("2"),
                back.get(0).headers().get("x-jobs-attempt"));
        assertNull(back.get(1).headers().get("x-jobs-attempt"));
        assertNull("the acknowledged job never comes back", after.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(third.state().errorMessage().isEmpty());
    }

    @Test
    public void aDelayKeepsItsDueTimeAcrossARestart() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue);
        long pushed = System.nanoTime();
        push(first, message("later").delay(2).build());
        first.stop();

        LocalDriver second = driver(queue);
        assertEquals(1, second.state().delayed());
        second.run(pipeline(PIPELINE));
        Job later = take(queue, 1).get(0);
        long waited = System.nanoTime() - pushed;
        assertEquals("later", later.name());
        assertTrue("ran " + waited / 1_000_000 + " ms after its push, before its 2 s delay",
                waited >= TimeUnit.MILLISECONDS.toNanos(2000));
    }

    @Test
    public void aRequeueWithHeadersAndDelayIsInTheFile() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue);
        pushAll(first, "retry");
        Job job = take(queue, 1).get(0);
        assertEquals(Custody.DRIVER, job.settle(Settlement.requeue(Map.of("x-jobs-attempt", List.of("2"),
                "why", List.of("boom")), 1)));
        awaitCommitted(first);
        first.crash();

        TestQueue after = queue();
        LocalDriver second = driver(after);
        assertEquals(1, second.state().delayed());
        second.run(pipeline(PIPELINE));
        Job again = take(after, 1).get(0);
        assertEquals(List.of("boom"), again.headers().get("why"));
        assertEquals(List.of("2"), again.headers().get("x-jobs-attempt"));
    }

    /** Waits until the commit thread wrote every change made so far (what a crash then keeps is known). */
    static void awaitCommitted(LocalDriver driver) throws Exception {
        Poll.until("the commit thread commits every change", Duration.ofSeconds(10), Duration.ofMillis(5),
                driver::allCommitted, () -> driver.state().toString());
    }
}
