package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class RoundSinkTest {

    @Test
    public void theLastJobReleasesTheWaiterWithItsTime() throws Exception {
        RoundSink sink = new RoundSink(3);
        long before = System.nanoTime();
        Thread handler = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                byte[] payload = new byte[Payloads.SIZE];
                Payloads.stamp(payload, System.nanoTime(), 0);
                sink.handled(payload, System.nanoTime());
            }
        });
        handler.start();

        long last = sink.awaitLast(10, TimeUnit.SECONDS);

        assertTrue(last >= before);
        assertEquals(3, sink.handledCount());
        assertEquals(3, sink.latencies().getTotalCount());
    }

    @Test
    public void missingJobsAreReportedWithTheirCount() throws Exception {
        RoundSink sink = new RoundSink(2);
        sink.handled(new byte[Payloads.SIZE], 0);
        try {
            sink.awaitLast(1, TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("only 1 of 2 jobs"));
            return;
        }
        throw new AssertionError("a round with a missing job must not end");
    }
}
