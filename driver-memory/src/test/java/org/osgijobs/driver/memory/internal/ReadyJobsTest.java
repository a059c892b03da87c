package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.junit.Test;
import org.osgijobs.api.Message;

public class ReadyJobsTest {

    @Test
    public void jobsComeOutByPriorityThenSequence() {
        ReadyJobs ready = new ReadyJobs();
        ready.add(job("a", 5, 1));
        ready.add(job("b", 1, 2));
        ready.add(job("c", 5, 3));
        ready.add(job("d", 1, 4));
        ready.add(job("e", 9, 5));

        assertEquals(List.of("b", "d", "a", "c", "e"), ids(ready.drain()));
        assertTrue(ready.isEmpty());
    }

    @Test
    public void olderJobsAddedLaterGoBeforeTheNewerOnesOfTheirPriority() {
        ReadyJobs ready = new ReadyJobs();
        ready.add(job("new1", 5, 10));
        ready.add(job("new2", 5, 11));
        // withdrawn from the runtime's queue on pause, in their order: older than what waited here
        ready.add(job("old1", 5, 3));
        ready.add(job("old2", 5, 4));
        ready.add(job("newest", 5, 12));

        assertEquals("old1", ready.peek().id());
        assertEquals(List.of("old1", "old2", "new1", "new2", "newest"), ids(ready.drain()));
    }

    @Test
    public void peekLeavesTheJobAndPollTakesIt() {
        ReadyJobs ready = new ReadyJobs();
        assertNull(ready.peek());
        assertNull(ready.poll());
        ready.add(job("a", 2, 1));
        ready.add(job("b", 1, 2));

        assertEquals("b", ready.peek().id());
        assertEquals(2, ready.size());
        assertEquals("b", ready.poll().id());
        assertEquals(1, ready.size());
        assertEquals("a", ready.poll().id());
        assertTrue(ready.isEmpty());
        assertNull(ready.poll());
    }

    @Test
    public void anyInsertionOrderGivesTheReadyOrder() {
        Random random = new Random(42);
        List<MemoryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            jobs.add(job("j" + i, 1 + random.nextInt(4), i));
        }
        List<MemoryJob> shuffled = new ArrayList<>(jobs);
        // mostly in order, with runs of older jobs arriving late, as pause and racing producers cause
        for (int i = 0; i < 200; i++) {
            int a = random.nextInt(shuffled.size());
            int b = random.nextInt(shuffled.size());
            MemoryJob t = shuffled.get(a);
            shuffled.set(a, shuffled.get(b));
            shuffled.set(b, t);
        }
        ReadyJobs ready = new ReadyJobs();
        List<MemoryJob> out = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            ready.add(shuffled.get(i));
            if (i % 7 == 0) {
                out.add(ready.poll()); // takes interleave with adds, as pumps do
            }
        }
        out.addAll(ready.drain());

        // every take returned the first of what was there at that moment, as a plain heap in that order does
        PriorityQueue<MemoryJob> reference = new PriorityQueue<>(MemoryJob.READY_ORDER);
        List<MemoryJob> referenceOut = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            reference.add(shuffled.get(i));
            if (i % 7 == 0) {
                referenceOut.add(reference.poll());
            }
        }
        while (!reference.isEmpty()) {
            referenceOut.add(reference.poll());
        }
        assertEquals(jobs.size(), out.size());
        assertEquals(ids(referenceOut), ids(out));
    }

    private static MemoryJob job(String id, long priority, long sequence) {
        Message message = Message.builder("work").id(id).pipeline("p").build();
        return MemoryJob.of(null, message, priority, sequence, 0);
    }

    private static List<String> ids(List<MemoryJob> jobs) {
        return jobs.stream().map(MemoryJob::id).toList();
    }
}
