package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The per-partition rule that a commit never passes a job that is not settled, without a broker. */
public class OffsetTrackerTest {

    @Test
    public void nothingReceivedNothingToCommit() {
        OffsetTracker t = new OffsetTracker();
        assertEquals(-1, t.committable());
        assertEquals(-1, t.toCommit());
    }

    @Test
    public void theCommitStopsAtTheFirstUnsettledOffset() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            t.received(o);
        }
        assertEquals(10, t.committable());
        t.settled(11);
        t.settled(13);
        t.settled(14);
        assertEquals("offset 10 is still running", 10, t.committable());
        assertEquals(4, t.unsettled() + 2);
        t.settled(10);
        assertEquals("10 and 11 settled, 12 not", 12, t.committable());
        t.settled(12);
        assertEquals("all settled: the offset after the last", 15, t.committable());
        assertEquals(0, t.unsettled());
    }

    @Test
    public void gapsInOffsetsDoNotHoldTheCommitBack() {
        OffsetTracker t = new OffsetTracker();
        t.received(3);
        t.received(7); // 4..6 compacted away or transaction markers
        t.settled(3);
        assertEquals(7, t.committable());
        t.settled(7);
        assertEquals(8, t.committable());
    }

    @Test
    public void toCommitOnlyWhenTheOffsetMoved() {
        OffsetTracker t = new OffsetTracker();
        t.received(0);
        t.received(1);
        t.settled(0);
        assertEquals(1, t.toCommit());
        t.committed(1);
        assertEquals(-1, t.toCommit());
        t.settled(1);
        assertEquals(2, t.toCommit());
    }

    @Test
    public void repeatedOrUnknownSettlementsAndRefetchedOffsetsChangeNothing() {
        OffsetTracker t = new OffsetTracker();
        t.received(5);
        t.received(6);
        assertFalse("a refetched offset is skipped", t.received(5));
        t.settled(4);
        t.settled(99);
        assertEquals(5, t.committable());
        t.settled(6);
        t.settled(6);
        assertEquals(5, t.committable());
        t.settled(5);
        assertEquals(7, t.committable());
        assertTrue(t.received(9));
    }

    @Test
    public void settlementsInAnyOrderNeverCommitPastAnUnsettledOffset() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            OffsetTracker t = new OffsetTracker();
            List<Long> offsets = new ArrayList<>();
            long o = random.nextInt(100);
            for (int i = 0; i < 50; i++) {
                o += 1 + random.nextInt(3);
                offsets.add(o);
                t.received(o);
            }
            List<Long> order = new ArrayList<>(offsets);
            Collections.shuffle(order, random);
            java.util.Set<Long> done = new java.util.HashSet<>();
            for (long s : order) {
                t.settled(s);
                done.add(s);
                long firstOpen = offsets.stream().filter(x -> !done.contains(x)).findFirst()
                        .orElse(offsets.get(offsets.size() - 1) + 1);
                assertEquals(firstOpen, t.committable());
            }
        }
    }
}
