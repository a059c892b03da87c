package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.Test;

public class MeasurementTest {

    @Test
    public void mediansAreTakenFigureByFigure() {
        Measurement m = Measurement.medians(List.of(new Measurement(100, 5.0, 50.0, null),
                new Measurement(300, 1.0, 90.0, null), new Measurement(200, 3.0, 10.0, null)));

        assertEquals(200, m.jobsPerS(), 0);
        assertEquals(3.0, m.p50Us(), 0);
        assertEquals(50.0, m.p99Us(), 0);
        assertNull(m.bytesPerJob());
    }

    @Test
    public void anEvenNumberOfRoundsAveragesTheMiddleTwo() {
        Measurement m = Measurement.medians(List.of(new Measurement(100, null, null, 10.0),
                new Measurement(400, null, null, 40.0), new Measurement(200, null, null, 20.0),
                new Measurement(300, null, null, 30.0)));

        assertEquals(250, m.jobsPerS(), 0);
        assertEquals(25.0, m.bytesPerJob(), 0);
        assertNull(m.p50Us());
    }

    @Test
    public void throughputAndPercentilesComeFromCountTimeAndHistogram() {
        Histogram latencies = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            latencies.recordValue(i * 1000L); // 1..100 us
        }

        Measurement m = Measurement.of(5000, 2_000_000_000L, latencies);

        assertEquals(2500, m.jobsPerS(), 1e-9);
        assertEquals(50.0, m.p50Us(), 0.1);
        assertEquals(99.0, m.p99Us(), 0.1);
    }

    @Test(expected = IllegalArgumentException.class)
    public void noRoundsIsAnError() {
        Measurement.medians(List.of());
    }
}
