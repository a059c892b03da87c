package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class OpenLoopTest {
    private static final double RATE = 100_000; // a job every 10 us

    @Test
    public void eachJobIsDueOnTheScheduleAndNeverPushedEarly() throws Exception {
        List<long[]> pushes = new ArrayList<>(); // due, actual
        OpenLoop loop = new OpenLoop(RATE);

        long start = loop.run(50, (i, due) -> pushes.add(new long[] { due, System.nanoTime() }));

        assertEquals(50, pushes.size());
        for (int i = 0; i < pushes.size(); i++) {
            assertEquals("job " + i, start + i * 10_000L, pushes.get(i)[0]);
            assertTrue("job " + i + " pushed before it was due", pushes.get(i)[1] >= pushes.get(i)[0]);
        }
        assertEquals(50, loop.lag().getTotalCount());
    }

    @Test
    public void aStalledPushDoesNotShiftTheScheduleAndItsDelayIsCountedAsLag() throws Exception {
        List<Long> dues = new ArrayList<>();
        OpenLoop loop = new OpenLoop(RATE);

        long start = loop.run(20, (i, due) -> {
            dues.add(due);
            if (i == 0) {
                // the system stalls the producer for 100 job intervals (busy, not a sleep: it ends exactly there)
                long until = due + 1_000_000L;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
        });

        // a closed loop would have pushed job 1 at the end of the stall and counted from there; the open loop keeps
        // each job's due time on the schedule
        for (int i = 0; i < dues.size(); i++) {
            assertEquals("job " + i, start + i * 10_000L, (long) dues.get(i));
        }
        // the 19 jobs after the stall (95 % of them) all began at least (100 - 19) intervals late
        assertTrue(loop.lag().getValueAtPercentile(10) >= 800_000L);
    }

    @Test
    public void aRateThatIsNotPositiveIsRefusedByName() {
        for (double bad : new double[] { 0, -1, Double.NaN, Double.POSITIVE_INFINITY }) {
            try {
                new OpenLoop(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("open-loop rate"));
            }
        }
    }
}
