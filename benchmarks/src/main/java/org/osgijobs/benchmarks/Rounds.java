package org.osgijobs.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the warm-up and measured rounds of a scenario, alternating the runtime and its baseline round by round, so
 * that a burst of noise on the shared machine lands on both rather than on one of them.
 */
final class Rounds {

    /** One round of one side: runs the given number of jobs and returns its figures. */
    @FunctionalInterface
    interface Round {
        Measurement run(int jobs) throws Exception;
    }

    /** The medians of both sides, and every round. */
    record Outcome(Measurement product, Measurement baseline, List<Measurement> productRounds,
            List<Measurement> baselineRounds) {

        /** @return the lowest and highest jobs/s of each side's rounds: how noisy the run was */
        String spread(String productLabel, String baselineLabel) {
            return "jobs/s of the rounds: " + productLabel + " " + range(productRounds) + ", " + baselineLabel + " "
                    + range(baselineRounds);
        }

        private static String range(List<Measurement> rounds) {
            double min = rounds.stream().mapToDouble(Measurement::jobsPerS).min().orElse(Double.NaN);
            double max = rounds.stream().mapToDouble(Measurement::jobsPerS).max().orElse(Double.NaN);
            return String.format(java.util.Locale.ROOT, "%,.0f-%,.0f", min, max);
        }
    }

    private Rounds() {
    }

    /**
     * @param settings       how many rounds
     * @param progress       where to show which round runs
     * @param jobs           jobs per round
     * @param productLabel   the first side's name in the progress line
     * @param product        a round of the first side
     * @param baselineLabel  the second side's name in the progress line
     * @param baseline       a round of the second side
     */
    static Outcome alternate(BenchSettings settings, Progress progress, int jobs, String productLabel, Round product,
            String baselineLabel, Round baseline) throws Exception {
        for (int w = 1; w <= settings.warmups(); w++) {
            progress.phase(productLabel + " warm-up " + w + "/" + settings.warmups());
            product.run(jobs);
            progress.phase(baselineLabel + " warm-up " + w + "/" + settings.warmups());
            baseline.run(jobs);
        }
        List<Measurement> productRounds = new ArrayList<>();
        List<Measurement> baselineRounds = new ArrayList<>();
        for (int r = 1; r <= settings.rounds(); r++) {
            progress.phase(productLabel + " round " + r + "/" + settings.rounds());
            productRounds.add(product.run(jobs));
            progress.phase(baselineLabel + " round " + r + "/" + settings.rounds());
            baselineRounds.add(baseline.run(jobs));
        }
        return new Outcome(Measurement.medians(productRounds), Measurement.medians(baselineRounds), productRounds,
                baselineRounds);
    }
}
