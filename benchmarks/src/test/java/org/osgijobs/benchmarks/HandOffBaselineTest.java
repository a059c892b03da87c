package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class HandOffBaselineTest {

    @Test
    public void jobsComeOutByPriorityThenInPushOrder() throws Exception {
        List<Long> order = new CopyOnWriteArrayList<>();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(7);
        try (HandOffBaseline baseline = new HandOffBaseline(1)) {
            baseline.use((payload, start) -> {
                long tag = payload[20];
                if (tag == 0) {
                    blocked.countDown();
                    await(release);
                } else {
                    order.add(tag);
                }
                all.countDown();
            });
            baseline.push("first", 1, tagged(0), 0);
            assertTrue(blocked.await(10, TimeUnit.SECONDS)); // the only worker holds the first job
            baseline.push("a", 5, tagged(1), 0);
            baseline.push("b", 2, tagged(2), 0);
            baseline.push("c", 5, tagged(3), 0);
            baseline.push("d", 2, tagged(4), 0);
            baseline.push("e", 9, tagged(5), 0);
            baseline.push("f", 5, tagged(6), 0);
            release.countDown();

            assertTrue(all.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(2L, 4L, 1L, 3L, 6L, 5L), order);
    }

    @Test
    public void delayedJobsQueueAfterTheirDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long[] startedAt = new long[1];
        long pushed;
        try (HandOffBaseline baseline = new HandOffBaseline(2)) {
            baseline.use((payload, start) -> {
                startedAt[0] = start;
                ran.countDown();
            });
            pushed = System.nanoTime();
            baseline.push("late", 1, Payloads.stampedNow(1), 1);

            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
        assertTrue("ran before its delay", startedAt[0] - pushed >= TimeUnit.SECONDS.toNanos(1));
    }

    private static byte[] tagged(int tag) {
        byte[] payload = new byte[Payloads.SIZE];
        payload[20] = (byte) tag;
        return payload;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
