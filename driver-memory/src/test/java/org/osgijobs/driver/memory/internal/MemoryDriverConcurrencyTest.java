package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/** Producers, consumers, pauses and requeues at once: every job is done exactly once and nothing is left. */
public class MemoryDriverConcurrencyTest extends DriverTestSupport {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 10_000;
    private static final int CONSUMERS = 2;

    @Test(timeout = 120_000)
    public void everyJobIsAckedExactlyOnce() throws Exception {
        runScenario(new TestQueue(DriverTestSupport.PIPELINE, 64), "prefetch", "16", false, false);
    }

    @Test(timeout = 120_000)
    public void everyJobIsAckedExactlyOnceWithDefaultPrefetchAndATinyQueue() throws Exception {
        runScenario(new TestQueue(DriverTestSupport.PIPELINE, 4), new String[0], false, false);
    }

    @Test(timeout = 120_000)
    public void everyJobIsAckedExactlyOnceWhilePausingAndRequeueing() throws Exception {
        runScenario(new TestQueue(DriverTestSupport.PIPELINE, 64), "prefetch", "16", true, true);
    }

    private void runScenario(TestQueue queue, String key, String value, boolean toggle, boolean requeue)
            throws Exception {
        runScenario(queue, new String[] { key, value }, toggle, requeue);
    }

    private void runScenario(TestQueue queue, String[] options, boolean toggle, boolean requeue) throws Exception {
        MemoryDriver driver = running(queue, options);
        int total = PRODUCERS * PER_PRODUCER;
        Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS + 1);
        try {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(threads.submit(() -> {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        push(driver, message("j" + producer + "-" + i).priority(1 + i % 3).build());
                    }
                    return null;
                }));
            }
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(threads.submit(() -> {
                    while (done.get() < total) {
                        Job job = queue.take(50, TimeUnit.MILLISECONDS);
                        if (job == null) {
                            continue;
                        }
                        // with requeue on, every third job goes round once more before it is acked
                        if (requeue && job.headers().isEmpty() && job.name().hashCode() % 3 == 0) {
                            job.settle(Settlement.requeue(Map.of("again", List.of("1")), 0));
                            continue;
                        }
                        acked.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
                        job.settle(Settlement.ack());
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<?> toggler = threads.submit(() -> {
                while (toggle && producing.get()) {
                    driver.pause(PIPELINE);
                    Thread.sleep(1);
                    driver.resume(PIPELINE);
                    Thread.sleep(1);
                }
                return null;
            });
            for (Future<?> f : producers) {
                f.get();
            }
            producing.set(false);
            toggler.get();
            for (Future<?> f : consumers) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(total, acked.size());
        for (Map.Entry<String, AtomicInteger> e : acked.entrySet()) {
            assertEquals("acks of " + e.getKey(), 1, e.getValue().get());
        }
        assertEquals(0, queue.size());
        assertEquals(0, driver.state().active());
        assertEquals(0, driver.state().reserved());
        assertEquals(0, driver.state().delayed());
        assertTrue(driver.stop().isEmpty());
    }
}
