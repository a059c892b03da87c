package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** Pushing, consuming, priorities, delays, pausing and the state, against the real server. */
public class BeanstalkConsumeTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private static Message job(String id, long priority) {
        return Message.builder("work").id(id).payload("p-" + id).pipeline("p").priority(priority).build();
    }

    @Test
    public void jobsRunInTheOrderOfTheirPriorityAndTravelWithTheTubePriority() throws Exception {
        Map<String, Object> o = fx.options("p", "tube_priority", "77", "priority", "4");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 100);
        BeanstalkDriver d = fx.driver(queue, o);
        long[] priorities = { 9, 3, 0, 7, 3, 1 }; // 0: the pipeline's (4)
        for (int i = 0; i < priorities.length; i++) {
            d.push(job("j" + i, priorities[i])).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(o));
        Poll.until("all reserved", Duration.ofSeconds(10), Duration.ofMillis(20), () -> queue.size() == 6,
                () -> "queue " + queue.size());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Job j = queue.take();
            order.add(j.id() + "@" + j.priority());
            BeanstalkJob b = (BeanstalkJob) j;
            Map<String, String> stats = fx.raw.statsJob(b.beanstalkId, BeanstalkFixture.WAIT);
            assertEquals("beanstalkd priority is the tube_priority", "77", stats.get("pri"));
            assertEquals("TTR is the connection's timeout", "30", stats.get("ttr"));
            assertEquals(Custody.DONE, j.settle(Settlement.ack()));
        }
        assertEquals(List.of("j5@1", "j1@3", "j4@3", "j2@4", "j3@7", "j0@9"), order);
        Poll.until("acked jobs are deleted", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> fx.count(tube, "current-jobs-ready") + fx.count(tube, "current-jobs-reserved") == 0,
                () -> fx.stats(tube).toString());
        assertEquals(6, fx.count(tube, "cmd-delete"));
    }

    @Test
    public void theDelayIsBeanstalkdsOwn() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 100);
        BeanstalkDriver d = fx.driver(queue, o);
        d.run(Pipeline.of(o));
        d.push(Message.builder("later").id("d1").pipeline("p").delay(2).build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(1, fx.count(tube, "current-jobs-delayed"));
        assertEquals(1, d.state().delayed());
        Job j = queue.take(15, TimeUnit.SECONDS);
        assertNotNull("the delayed job came", j);
        assertEquals("d1", j.id());
        assertEquals(2, j.context().delay());
        j.settle(Settlement.ack());
    }

    @Test
    public void autoAckJobsAreDeletedOnReceipt() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 100);
        BeanstalkDriver d = fx.driver(queue, o);
        d.push(Message.builder("fire").id("a1").pipeline("p").autoAck(true).build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Poll.until("in the queue", Duration.ofSeconds(10), Duration.ofMillis(20), () -> queue.size() == 1,
                () -> "queue " + queue.size());
        assertEquals("deleted before it ran", 1, fx.count(tube, "cmd-delete"));
        assertEquals(0, fx.count(tube, "current-jobs-reserved"));
        assertTrue(queue.take().autoAck());
    }

    @Test
    public void pauseGivesBackWhatNoWorkerTookAndResumeTakesItAgain() throws Exception {
        Map<String, Object> o = fx.options("p", "prefetch", "5");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 100);
        BeanstalkDriver d = fx.driver(queue, o);
        for (int i = 0; i < 8; i++) {
            d.push(job("j" + i, 0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        d.run(Pipeline.of(o));
        Poll.until("prefetch reserved", Duration.ofSeconds(10), Duration.ofMillis(20), () -> queue.size() == 5,
                () -> "queue " + queue.size());
        Thread.sleep(300); // not an assertion: gives a wrong driver the time to reserve beyond prefetch
        assertEquals("at most prefetch jobs reserved", 5, fx.count(tube, "current-jobs-reserved"));
        Job running = queue.take();
        d.pause("p");
        Poll.until("queued jobs go back to the tube", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> fx.count(tube, "current-jobs-ready") == 7 && queue.size() == 0, () -> fx.stats(tube) + " queue "
                        + queue.size());
        assertEquals("the running job stays reserved", 1, fx.count(tube, "current-jobs-reserved"));
        assertEquals(Custody.DONE, running.settle(Settlement.ack()));
        d.resume("p");
        for (int i = 0; i < 7; i++) {
            Job j = queue.take(10, TimeUnit.SECONDS);
            assertNotNull(j);
            j.settle(Settlement.ack());
        }
        Poll.until("all deleted", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> fx.count(tube, "current-jobs-ready") + fx.count(tube, "current-jobs-reserved") == 0,
                () -> fx.stats(tube).toString());
        assertNull(queue.poll());
    }

    @Test
    public void theStateComesFromStatsTube() throws Exception {
        Map<String, Object> o = fx.options("p", "priority", "6");
        TestQueue queue = new TestQueue("p", 100);
        BeanstalkDriver d = fx.driver(queue, o);
        d.push(job("r1", 0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.push(job("r2", 0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.push(Message.builder("w").id("r3").pipeline("p").delay(60).build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        State s = d.state();
        assertEquals(2, s.active());
        assertEquals(1, s.delayed());
        assertEquals(0, s.reserved());
        assertEquals(6, s.priority());
        assertEquals(o.get("tube"), s.queue());
        assertEquals("", s.errorMessage());
        d.run(Pipeline.of(o));
        Poll.until("reserved", Duration.ofSeconds(10), Duration.ofMillis(20), () -> d.state().reserved() == 2,
                () -> d.state().toString());
        assertTrue(d.state().ready());
    }
}
