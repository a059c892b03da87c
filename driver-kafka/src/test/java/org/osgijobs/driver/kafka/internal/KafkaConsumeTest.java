package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.TestQueue;

/** Push, consume, commit order, back-pressure, pause, requeue and state against the real broker. */
public class KafkaConsumeTest {

    @Rule
    public final KafkaFixture kafka = new KafkaFixture();

    private static void pushAll(KafkaDriver d, String prefix, int count) throws Exception {
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pushes.add(d.push(Message.builder("work").id(prefix + i).pipeline("p").payload("body-" + i).build())
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    }

    @Test
    public void aPushedJobRunsAndItsAckIsCommitted() throws Exception {
        String topic = kafka.topic("t", 1);
        Map<String, Object> o = kafka.options("p", topic);
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        d.push(Message.builder("hello").id("one").pipeline("p").payload("x").header("h", "v").priority(3).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull("the job arrives", job);
        assertEquals("one", job.id());
        assertEquals("hello", job.name());
        assertEquals(3, job.priority());
        assertEquals("x", new String(job.body(), StandardCharsets.UTF_8));
        assertEquals(List.of("v"), job.headers().get("h"));
        assertEquals(List.of(topic), job.headers().get("kafka_topic"));
        assertEquals(List.of("0"), job.headers().get("kafka_offset"));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        String group = (String) o.get("group_options.group_id");
        Poll.until("the ack is committed", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> kafka.committed(group, topic, 0) == 1, () -> "committed " + kafka.committed(group, topic, 0));
    }

    @Test
    public void aCommitNeverPassesAJobThatIsNotSettled() throws Exception {
        String topic = kafka.topic("t", 1);
        Map<String, Object> o = kafka.options("p", topic, "prefetch", "10");
        String group = (String) o.get("group_options.group_id");
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "c", 5);
        d.run(Pipeline.of(o));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job j = queue.poll(20, TimeUnit.SECONDS);
            assertNotNull(j);
            jobs.add(j);
        }
        assertEquals("c0", jobs.get(0).id());
        // everything but the second job is acknowledged: the commit stops at offset 1
        for (int i = 0; i < 5; i++) {
            if (i != 1) {
                jobs.get(i).settle(Settlement.ack());
            }
        }
        Poll.until("offset 1 committed", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> kafka.committed(group, topic, 0) == 1, () -> "committed " + kafka.committed(group, topic, 0));
        Thread.sleep(600); // several commit rounds: none may pass the unsettled job
        assertEquals("no commit past the unsettled job", 1, kafka.committed(group, topic, 0));
        jobs.get(1).settle(Settlement.reject());
        Poll.until("all committed", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> kafka.committed(group, topic, 0) == 5, () -> "committed " + kafka.committed(group, topic, 0));
    }

    @Test
    public void prefetchOnePerPartitionKeepsStrictOrder() throws Exception {
        String topic = kafka.topic("t", 1);
        Map<String, Object> o = kafka.options("p", topic, "prefetch", "1");
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "o", 20);
        d.run(Pipeline.of(o));
        for (int i = 0; i < 20; i++) {
            Job j = queue.poll(20, TimeUnit.SECONDS);
            assertNotNull("job " + i, j);
            assertEquals("o" + i, j.id());
            assertNull("only one job of the partition at a time", queue.poll());
            j.settle(Settlement.ack());
        }
    }

    @Test
    public void pauseWithdrawsWaitingJobsAndResumeBringsThemBackInOrder() throws Exception {
        String topic = kafka.topic("t", 1);
        Map<String, Object> o = kafka.options("p", topic, "prefetch", "5");
        SharedTestQueue queue = new SharedTestQueue("p");
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "w", 10);
        d.run(Pipeline.of(o));
        Poll.until("five jobs in the queue", Duration.ofSeconds(20), Duration.ofMillis(20),
                () -> queue.size() == 5, () -> "queue " + queue.size());
        d.pause("p");
        assertEquals("pause withdraws", 0, queue.size());
        Thread.sleep(300);
        assertEquals("nothing moves while paused", 0, queue.size());
        d.resume("p");
        for (int i = 0; i < 10; i++) {
            Job j = queue.poll(20, TimeUnit.SECONDS);
            assertNotNull("job " + i, j);
            assertEquals("w" + i, j.id());
            j.settle(Settlement.ack());
        }
    }

    @Test
    public void aRequeueProducesACopyWithTheNewHeadersAndCommitsTheOriginal() throws Exception {
        String topic = kafka.topic("t", 1);
        Map<String, Object> o = kafka.options("p", topic);
        String group = (String) o.get("group_options.group_id");
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "r", 1);
        d.run(Pipeline.of(o));
        Job first = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals(Custody.DRIVER, first.settle(Settlement.requeue(Map.of("attempt", List.of("2")), 0)));
        Job again = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull("the copy comes back", again);
        assertEquals("r0", again.id());
        assertEquals(List.of("2"), again.headers().get("attempt"));
        assertEquals(List.of("1"), again.headers().get("kafka_offset"));
        Poll.until("the original is committed", Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> kafka.committed(group, topic, 0) >= 1, () -> "committed " + kafka.committed(group, topic, 0));
        again.settle(Settlement.ack());
        List<ConsumerRecord<byte[], byte[]>> records = kafka.read(topic, 2);
        assertEquals(2, records.size());
        assertEquals("2", WireFormat.text(records.get(1).headers(), "attempt"));
    }

    @Test
    public void stateShowsLagAsActiveAndRunningJobsAsReserved() throws Exception {
        String topic = kafka.topic("t", 2);
        Map<String, Object> o = kafka.options("p", topic, "prefetch", "2");
        TestQueue queue = new TestQueue("p", 100);
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "s", 20);
        d.run(Pipeline.of(o));
        Job j = queue.poll(20, TimeUnit.SECONDS);
        assertNotNull(j);
        j.taken();
        Poll.until("state shows the jobs", Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
            State s = d.state();
            return s.reserved() == 1 && s.active() == 19;
        }, () -> d.state().toString());
        State s = d.state();
        assertTrue(s.ready());
        assertEquals("", s.errorMessage());
        assertEquals("kafka", s.driver());
        j.settle(Settlement.ack());
        assertEquals(0, d.state().reserved());
    }

    @Test
    public void withoutAGroupTheDriverAssignsEveryPartitionAndCommitsNothing() throws Exception {
        String topic = kafka.topic("t", 3);
        Map<String, Object> o = kafka.options("p", topic, "group_options.group_id", null);
        SharedTestQueue queue = new SharedTestQueue("p");
        KafkaDriver d = kafka.driver(queue, o);
        pushAll(d, "n", 30);
        d.run(Pipeline.of(o));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Job j = queue.poll(20, TimeUnit.SECONDS);
            assertNotNull("job " + i, j);
            ids.add(j.id());
            j.settle(Settlement.ack());
        }
        assertEquals(30, ids.stream().distinct().count());
        assertTrue(kafka.admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                .noneMatch(g -> g.groupId().startsWith("osgijobs.p") && !g.groupId().endsWith(".delay")));
    }
}
