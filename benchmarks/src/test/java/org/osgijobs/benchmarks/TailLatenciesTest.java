package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.HdrHistogram.Histogram;
import org.junit.Test;

public class TailLatenciesTest {

    @Test
    public void theWarmUpRoundsBeforeTheMeasuredOnesAreLeftOut() {
        TailLatencies tail = new TailLatencies();
        tail.record(round(1_000_000_000L)); // a warm-up with a 1 s outlier
        tail.record(round(3_000_000L));
        tail.record(round(1_000_000L));
        tail.record(round(2_000_000L));

        assertEquals(2_000, tail.medianMaxUs(3), 2_000 * 0.001);
        assertEquals(3_000, tail.worstMaxUs(3), 3_000 * 0.001);
        assertEquals(2_500, tail.medianMaxUs(4), 2_500 * 0.001); // with the warm-up: (2 + 3) / 2 ms
    }

    @Test
    public void p999IsTheTailOfTheRoundNotItsMax() {
        TailLatencies tail = new TailLatencies();
        Histogram h = new Histogram(3);
        for (int i = 0; i < 10_000; i++) {
            h.recordValue(i < 9_995 ? 10_000 : 5_000_000); // 5 of 10,000 jobs waited 5 ms
        }
        tail.record(h);

        assertEquals(10, tail.medianP999Us(1), 0.1);
        assertEquals(5_000, tail.medianMaxUs(1), 5);
    }

    @Test
    public void askingForMoreRoundsThanRecordedIsAnError() {
        TailLatencies tail = new TailLatencies();
        tail.record(round(1_000));
        try {
            tail.medianMaxUs(2);
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("last 2 rounds of 1"));
        }
    }

    private static Histogram round(long maxNanos) {
        Histogram h = new Histogram(3);
        h.recordValue(1_000);
        h.recordValue(maxNanos);
        return h;
    }
}
