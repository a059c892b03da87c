package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class RoundsTest {

    @Test
    public void sidesAlternateAfterTheirWarmUpsAndMediansComeFromMeasuredRoundsOnly() throws Exception {
        BenchSettings settings = new BenchSettings(3, 2, 1, Path.of("target"), CommandLine.DEFAULT_AMQP);
        List<String> calls = new ArrayList<>();
        double[] product = { 1, 2, 30, 10, 20 }; // two warm-ups (ignored), then three rounds
        double[] baseline = { 5, 6, 300, 100, 200 };
        int[] next = new int[2];
        try (Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), false)) {
            Rounds.Outcome outcome = Rounds.alternate(settings, progress, 7, "p", jobs -> {
                calls.add("p" + jobs);
                return new Measurement(product[next[0]++], null, null, null);
            }, "b", jobs -> {
                calls.add("b" + jobs);
                return new Measurement(baseline[next[1]++], null, null, null);
            });

            assertEquals(List.of("p7", "b7", "p7", "b7", "p7", "b7", "p7", "b7", "p7", "b7"), calls);
            assertEquals(20, outcome.product().jobsPerS(), 0);
            assertEquals(200, outcome.baseline().jobsPerS(), 0);
            assertEquals(3, outcome.productRounds().size());
            assertEquals("jobs/s of the rounds: p 10-30, b 100-300", outcome.spread("p", "b"));
        }
    }

    @Test
    public void notesAreAppended() {
        Result r = Result.skipped("amqp", "no broker").withNote("load 1.0");

        assertEquals("no broker; load 1.0", r.notes());
        assertEquals("skipped", r.status());
    }
}
