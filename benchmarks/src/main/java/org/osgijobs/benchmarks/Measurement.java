package org.osgijobs.benchmarks;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * The figures of one round, or the medians of several. Figures that a scenario does not measure are {@code null}.
 *
 * @param jobsPerS    throughput
 * @param p50Us       median latency, microseconds
 * @param p99Us       99th percentile latency, microseconds
 * @param bytesPerJob heap per job beyond its payload, bytes
 */
record Measurement(double jobsPerS, Double p50Us, Double p99Us, Double bytesPerJob) {

    static Measurement throughput(int jobs, long elapsedNanos) {
        return new Measurement(perSecond(jobs, elapsedNanos), null, null, null);
    }

    static Measurement of(int jobs, long elapsedNanos, Histogram latencyNanos) {
        return new Measurement(perSecond(jobs, elapsedNanos), micros(latencyNanos.getValueAtPercentile(50)),
                micros(latencyNanos.getValueAtPercentile(99)), null);
    }

    Measurement withBytesPerJob(double bytes) {
        return new Measurement(jobsPerS, p50Us, p99Us, bytes);
    }

    /** @return the median of each figure over the rounds, each taken on its own */
    static Measurement medians(List<Measurement> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no rounds to take the median of");
        }
        return new Measurement(median(rounds, Measurement::jobsPerS), median(rounds, Measurement::p50Us),
                median(rounds, Measurement::p99Us), median(rounds, Measurement::bytesPerJob));
    }

    static double perSecond(int jobs, long elapsedNanos) {
        return jobs * 1e9 / Math.max(1, elapsedNanos);
    }

    private static Double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static Double median(List<Measurement> rounds, Function<Measurement, Double> figure) {
        List<Double> values = rounds.stream().map(figure).filter(Objects::nonNull).sorted().toList();
        if (values.isEmpty()) {
            return null;
        }
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
