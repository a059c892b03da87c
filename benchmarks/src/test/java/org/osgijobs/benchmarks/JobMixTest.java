package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

public class JobMixTest {

    @Test
    public void uniformJobsInheritThePipelinesPriorityAndAreNeverDelayed() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, JobMix.UNIFORM.messagePriority(i));
            assertEquals(JobMix.PIPELINE_PRIORITY, JobMix.UNIFORM.effectivePriority(i));
            assertEquals(0, JobMix.UNIFORM.delaySeconds(i));
        }
        assertEquals(0, JobMix.UNIFORM.requestedWaitNanos(1000));
    }

    @Test
    public void mixedJobsSpreadOverTenPrioritiesWithOneInTenDelayed() {
        Map<Long, Integer> byPriority = new TreeMap<>();
        int delayed = 0;
        for (int i = 0; i < 1000; i++) {
            byPriority.merge(JobMix.MIXED.messagePriority(i), 1, Integer::sum);
            assertEquals(JobMix.MIXED.messagePriority(i), JobMix.MIXED.effectivePriority(i));
            if (JobMix.MIXED.delaySeconds(i) > 0) {
                assertEquals(1, JobMix.MIXED.delaySeconds(i));
                delayed++;
            }
        }
        assertEquals(10, byPriority.size());
        assertEquals(1L, (long) ((TreeMap<Long, Integer>) byPriority).firstKey());
        assertEquals(10L, (long) ((TreeMap<Long, Integer>) byPriority).lastKey());
        byPriority.values().forEach(count -> assertEquals(100, (int) count));
        assertEquals(100, delayed);
        assertEquals(1_000_000_000L, JobMix.MIXED.requestedWaitNanos(1000));
    }

    @Test
    public void aRoundTooShortToHoldADelayedJobWaitsForNothing() {
        assertEquals(0, JobMix.MIXED.requestedWaitNanos(5));
    }
}
