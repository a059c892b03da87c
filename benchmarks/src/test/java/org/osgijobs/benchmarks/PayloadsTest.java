package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class PayloadsTest {

    @Test
    public void latencyCountsFromThePush() {
        byte[] payload = new byte[Payloads.SIZE];
        Payloads.stamp(payload, 1_000, 0);

        assertEquals(4_000, Payloads.latencyNanos(payload, 5_000));
    }

    @Test
    public void aDelayedJobsLatencyCountsFromItsDueTime() {
        byte[] payload = new byte[Payloads.SIZE];
        Payloads.stamp(payload, 10, 1);

        assertEquals(500_000_000L, Payloads.latencyNanos(payload, 1_500_000_010L));
    }

    @Test
    public void aJobStartedBeforeItWasDueCountsAsZero() {
        byte[] payload = new byte[Payloads.SIZE];
        Payloads.stamp(payload, 10, 1);

        assertEquals(0, Payloads.latencyNanos(payload, 20));
    }

    @Test
    public void stampedPayloadsAreOneHundredBytes() {
        assertEquals(100, Payloads.stampedNow(0).length);
    }
}
