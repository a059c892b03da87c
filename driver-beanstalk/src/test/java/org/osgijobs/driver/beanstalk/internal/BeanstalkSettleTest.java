package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** What each settlement does to the beanstalkd job, and the TTR kept alive while a job runs long. */
public class BeanstalkSettleTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private BeanstalkDriver started(TestQueue queue, Map<String, Object> o) throws Exception {
        BeanstalkDriver d = fx.driver(queue, o);
        d.push(Message.builder("work").id("job-1").payload("x").pipeline("p").header("h", "1").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        return d;
    }

    private long current(String tube) throws Exception {
        return fx.count(tube, "current-jobs-ready") + fx.count(tube, "current-jobs-reserved")
                + fx.count(tube, "current-jobs-delayed") + fx.count(tube, "current-jobs-buried");
    }

    @Test
    public void aRequeueingNackReleasesTheJobWithItsDelayAndMakesNoCopy() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 10);
        started(queue, o);
        Job first = queue.take(10, TimeUnit.SECONDS);
        long beanstalkId = ((BeanstalkJob) first).beanstalkId;
        assertEquals(Custody.DRIVER, first.settle(Settlement.requeue(first.headers(), 2)));
        Map<String, String> released = fx.raw.statsJob(beanstalkId, BeanstalkFixture.WAIT);
        assertEquals("released with the delay", "delayed", released.get("state"));
        assertEquals("2", released.get("delay"));
        assertEquals("1", released.get("releases"));
        Job again = queue.take(15, TimeUnit.SECONDS);
        assertNotNull(again);
        assertEquals("the same job", "job-1", again.id());
        assertEquals("the same beanstalkd job", beanstalkId, ((BeanstalkJob) again).beanstalkId);
        assertEquals(Custody.DONE, again.settle(Settlement.ack()));
        Poll.until("deleted", Duration.ofSeconds(10), Duration.ofMillis(20), () -> current(tube) == 0,
                () -> fx.stats(tube).toString());
        // RoadRunner's requeueing nack puts a copy and leaves the original reserved: it would run again after TTR
        assertEquals("one put: no copy was made", 1, fx.count(tube, "total-jobs"));
        assertNull("no duplicate", queue.take(1500, TimeUnit.MILLISECONDS));
    }

    @Test
    public void aRequeueWithNewHeadersPutsACopyThenDeletesTheOriginal() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 10);
        started(queue, o);
        Job first = queue.take(10, TimeUnit.SECONDS);
        long original = ((BeanstalkJob) first).beanstalkId;
        Map<String, List<String>> headers = new LinkedHashMap<>(first.headers());
        headers.put("attempt", List.of("2"));
        assertEquals(Custody.DRIVER, first.settle(Settlement.requeue(headers, 0)));
        Job copy = queue.take(10, TimeUnit.SECONDS);
        assertNotNull(copy);
        assertEquals("job-1", copy.id());
        assertEquals(List.of("2"), copy.headers().get("attempt"));
        assertEquals(List.of("1"), copy.headers().get("h"));
        // the delete follows the copy's INSERTED without being waited for
        Poll.until("the original is deleted", Duration.ofSeconds(10), Duration.ofMillis(10),
                () -> fx.raw.statsJob(original, BeanstalkFixture.WAIT).isEmpty(),
                () -> fx.raw.statsJob(original, BeanstalkFixture.WAIT).toString());
        copy.settle(Settlement.ack());
        Poll.until("deleted", Duration.ofSeconds(10), Duration.ofMillis(20), () -> current(tube) == 0,
                () -> fx.stats(tube).toString());
        assertEquals(2, fx.count(tube, "total-jobs"));
    }

    @Test
    public void aFinalNackDeletesTheJob() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 10);
        started(queue, o);
        Job first = queue.take(10, TimeUnit.SECONDS);
        assertEquals(Custody.DONE, first.settle(Settlement.reject()));
        assertEquals("a second settlement does nothing", Custody.DONE, first.settle(Settlement.ack()));
        Poll.until("deleted, not buried", Duration.ofSeconds(10), Duration.ofMillis(20), () -> current(tube) == 0,
                () -> fx.stats(tube).toString());
        assertEquals(0, fx.count(tube, "cmd-bury"));
    }

    @Test
    public void aJobRunningThreeTimesItsTtrRunsOnce() throws Exception {
        Map<String, Object> o = fx.options("p");
        String tube = (String) o.get("tube");
        ConnectionSettings ttr2 = ConnectionSettings.of(BeanstalkFixture.HOST, BeanstalkFixture.PORT, 2);
        TestQueue queue = new TestQueue("p", 10);
        BeanstalkDriver d = fx.driver(queue, ttr2, o);
        // another runtime on the same tube: it gets the job if its TTR ever runs out
        TestQueue otherQueue = new TestQueue("p", 10);
        Map<String, Object> same = new LinkedHashMap<>(o);
        BeanstalkDriver other = fx.driver(otherQueue, ttr2, same);
        d.push(Message.builder("slow").id("slow-1").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Ledger ledger = new Ledger("long job");
        Job job = queue.take(10, TimeUnit.SECONDS);
        assertNotNull(job);
        ledger.ran(job.id());
        other.run(Pipeline.of(same));
        Job stolen = otherQueue.take(6, TimeUnit.SECONDS); // 3 x TTR while the first runtime runs the job
        if (stolen != null) {
            ledger.ran(stolen.id());
        }
        Map<String, String> stats = fx.raw.statsJob(((BeanstalkJob) job).beanstalkId, BeanstalkFixture.WAIT);
        assertEquals("never timed out", "0", stats.get("timeouts"));
        assertEquals("reserved once", "1", stats.get("reserves"));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        Poll.until("deleted", Duration.ofSeconds(10), Duration.ofMillis(20), () -> current(tube) == 0,
                () -> fx.stats(tube).toString());
        assertEquals("ran once: " + ledger.summary(), 1, ledger.runs());
    }
}
