package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.osgijobs.api.driver.Job;

public class PriorityJobQueueTest {

    @Test
    public void lowerPriorityComesOutFirstAndEqualPrioritiesInInsertionOrder() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(100_000);
        Random random = new Random(42);
        List<TestJob> inserted = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            TestJob job = TestJob.of("p", Integer.toString(i), 1 + random.nextInt(10));
            inserted.add(job);
            queue.insert(job);
        }
        long lastPriority = Long.MIN_VALUE;
        int lastIndex = -1;
        for (int i = 0; i < inserted.size(); i++) {
            Job job = queue.extractMin();
            int index = Integer.parseInt(job.id());
            if (job.priority() == lastPriority) {
                assertTrue("FIFO among equal priorities: " + index + " after " + lastIndex, index > lastIndex);
            } else {
                assertTrue("priority order", job.priority() > lastPriority);
            }
            lastPriority = job.priority();
            lastIndex = index;
        }
        assertEquals(0, queue.size());
    }

    @Test
    public void interleavedInsertsAndExtractsOverManyPrioritiesMatchAReferenceOrder() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(100_000);
        java.util.PriorityQueue<long[]> reference = new java.util.PriorityQueue<>(
                (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        Random random = new Random(7);
        long sequence = 0;
        for (int step = 0; step < 200_000; step++) {
            if (reference.isEmpty() || random.nextInt(3) > 0) {
                long priority = random.nextInt(200); // more distinct priorities than lines kept
                queue.insert(TestJob.of("p", Long.toString(sequence), priority));
                reference.add(new long[] { priority, sequence++ });
            } else {
                long[] expected = reference.poll();
                Job job = queue.extractMin();
                assertEquals("step " + step, Long.toString(expected[1]), job.id());
            }
        }
        while (!reference.isEmpty()) {
            assertEquals(Long.toString(reference.poll()[1]), queue.extractMin().id());
        }
        assertEquals(0, queue.size());
    }

    @Test
    public void insertBlocksWhileFullAndOfferRefuses() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(2);
        queue.insert(TestJob.of("p", "1", 1));
        queue.insert(TestJob.of("p", "2", 1));
        assertFalse(queue.offer(TestJob.of("p", "x", 1)));
        CountDownLatch inserted = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                queue.insert(TestJob.of("p", "3", 1));
                inserted.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        assertFalse("insert must wait while the queue is full", inserted.await(300, TimeUnit.MILLISECONDS));
        assertEquals("1", queue.extractMin().id());
        assertTrue("insert proceeds once there is room", inserted.await(5, TimeUnit.SECONDS));
        assertEquals(2, queue.size());
        producer.join();
    }

    @Test
    public void growingTheCapacityReleasesWaitingProducers() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(1);
        queue.insert(TestJob.of("p", "1", 1));
        CountDownLatch inserted = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                queue.insert(TestJob.of("p", "2", 1));
                inserted.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        assertFalse(inserted.await(200, TimeUnit.MILLISECONDS));
        queue.setCapacity(2);
        assertTrue(inserted.await(5, TimeUnit.SECONDS));
        producer.join();
    }

    @Test
    public void removeWithdrawsOnePipelineInOrderAndKeepsTheOthers() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(100);
        queue.insert(TestJob.of("a", "a1", 5));
        queue.insert(TestJob.of("b", "b1", 1));
        queue.insert(TestJob.of("a", "a2", 2));
        queue.insert(TestJob.of("b", "b2", 3));
        queue.insert(TestJob.of("a", "a3", 2));
        List<Job> withdrawn = queue.remove("a");
        assertEquals(List.of("a2", "a3", "a1"), withdrawn.stream().map(Job::id).toList());
        assertEquals(2, queue.size());
        assertEquals("b1", queue.extractMin().id());
        assertEquals("b2", queue.extractMin().id());
        assertTrue(queue.remove("nothing").isEmpty());
    }

    @Test
    public void pollGivesUpAfterItsTimeout() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(10);
        assertNull(queue.poll(50, TimeUnit.MILLISECONDS));
    }

    @Test
    public void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        PriorityJobQueue queue = new PriorityJobQueue(64); // small: producers block often
        int producers = 4;
        int perProducer = 10_000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean duplicate = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread consumer = new Thread(() -> {
                try {
                    while (true) {
                        Job job = queue.extractMin();
                        if (!seen.add(job.id())) {
                            duplicate.set(true);
                        }
                        done.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            consumer.setDaemon(true);
            consumer.start();
            threads.add(consumer);
        }
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    try {
                        queue.insert(TestJob.of("p", producer + "-" + i, i % 7));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            t.start();
        }
        assertTrue("all jobs consumed", done.await(60, TimeUnit.SECONDS));
        assertFalse("no job consumed twice", duplicate.get());
        assertEquals(producers * perProducer, seen.size());
        threads.forEach(Thread::interrupt);
    }
}
