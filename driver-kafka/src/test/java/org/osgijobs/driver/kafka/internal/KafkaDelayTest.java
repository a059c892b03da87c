package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
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
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** Delays through the delay topic: on time, durable across a restart of the runtime, and for requeues. */
public class KafkaDelayTest {

    @Rule
    public final KafkaFixture kafka = new KafkaFixture();

    @Test
    public void aJobDelayedFiveSecondsRunsAfterFiveSecondsAcrossARestart() throws Exception {
        String topic = kafka.topic("d", 1);
        Map<String, Object> o = kafka.options("p", topic);
        TestQueue first = new TestQueue("p", 100);
        KafkaDriver a = kafka.driver(first, o);
        a.run(Pipeline.of(o));
        long pushed = System.currentTimeMillis();
        a.push(Message.builder("later").id("late").pipeline("p").delay(5).header("k", "v").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Poll.until("the delay topic shows it", Duration.ofSeconds(5), Duration.ofMillis(50),
                () -> a.state().delayed() == 1, () -> a.state().toString());
        assertNull("not before its time", first.poll(1, TimeUnit.SECONDS));
        a.pause("p");
        a.stop(); // the runtime goes away with the job still delayed
        TestQueue second = new TestQueue("p", 100);
        KafkaDriver b = kafka.driver(second, o);
        b.run(Pipeline.of(o));
        Job job = second.poll(20, TimeUnit.SECONDS);
        long ran = System.currentTimeMillis();
        assertNotNull("the delayed job runs after the restart", job);
        assertEquals("late", job.id());
        assertEquals(List.of("v"), job.headers().get("k"));
        assertTrue("it ran after its 5 s, not before: " + (ran - pushed) + " ms", ran - pushed >= 5000);
        assertTrue("it ran soon after its 5 s: " + (ran - pushed) + " ms", ran - pushed < 12_000);
        job.settle(Settlement.ack());
        assertNull("it runs once", second.poll(1500, TimeUnit.MILLISECONDS));
        Poll.until("the delay topic is empty", Duration.ofSeconds(5), Duration.ofMillis(50),
                () -> b.state().delayed() == 0, () -> b.state().toString());
    }

    @Test
    public void aRequeueWithADelayComesBackAfterItAndKeepsItsPartition() throws Exception {
        String topic = kafka.topic("d", 3);
        Map<String, Object> o = kafka.options("p", topic);
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        d.run(Pipeline.of(o));
        d.push(Message.builder("retry").id("again").pipeline("p").header("kafka_partition", "2").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Job job = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals(List.of("2"), job.headers().get("kafka_partition"));
        long requeued = System.currentTimeMillis();
        assertEquals(Custody.DRIVER, job.settle(Settlement.requeue(Map.of("attempts", List.of("1")), 2)));
        Job again = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(again);
        assertTrue("after its delay", System.currentTimeMillis() - requeued >= 2000);
        assertEquals(List.of("1"), again.headers().get("attempts"));
        assertEquals(List.of("2"), again.headers().get("kafka_partition"));
        again.settle(Settlement.ack());
    }
}
