package org.osgijobs.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * The tail of one side's latencies, round by round: p99.9 and max, which {@link Measurement} does not keep. Warm-up
 * rounds are recorded too (the side's round does not know which it is); {@link #medianP999Us} and
 * {@link #medianMaxUs} take the last {@code measured} rounds, which {@link Rounds} always runs after the warm-ups.
 */
final class TailLatencies {
    private final List<Double> p999Us = new ArrayList<>();
    private final List<Double> maxUs = new ArrayList<>();

    /** Records one round's latencies, in nanoseconds. */
    void record(Histogram latencyNanos) {
        p999Us.add(latencyNanos.getValueAtPercentile(99.9) / 1000.0);
        maxUs.add(latencyNanos.getMaxValue() / 1000.0);
    }

    double medianP999Us(int measured) {
        return medianOfLast(p999Us, measured);
    }

    double medianMaxUs(int measured) {
        return medianOfLast(maxUs, measured);
    }

    /** @return the highest max of the last {@code measured} rounds: the worst single job seen */
    double worstMaxUs(int measured) {
        return last(maxUs, measured).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double medianOfLast(List<Double> values, int measured) {
        List<Double> sorted = last(values, measured).stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Double> last(List<Double> values, int measured) {
        if (measured < 1 || measured > values.size()) {
            throw new IllegalArgumentException("asked for the last " + measured + " rounds of " + values.size());
        }
        return values.subList(values.size() - measured, values.size());
    }
}
