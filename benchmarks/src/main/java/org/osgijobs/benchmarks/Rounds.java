package org.osgijobs.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the warm-up and measured rounds of a scenario, alternating its sides (the runtime and its baselines) round by
 * round, so that a burst of noise on the shared machine lands on all of them rather than on one.
 */
final class Rounds {

    /** One round of one side: runs the given number of jobs and returns its figures. */
    @FunctionalInterface
    interface Round {
        Measurement run(int jobs) throws Exception;
    }

    /** One side of a scenario: its name in the progress line and its round. */
    record Side(String label, Round round) {
    }

    /** The medians of the first two sides (the runtime and its baseline), and every round. */
    record Outcome(Measurement product, Measurement baseline, List<Measurement> productRounds,
            List<Measurement> baselineRounds) {

        /** @return the lowest and highest jobs/s of each side's rounds: how noisy the run was */
        String spread(String productLabel, String baselineLabel) {
            return "jobs/s of the rounds: " + productLabel + " " + range(productRounds) + ", " + baselineLabel + " "
                    + range(baselineRounds);
        }
    }

    private Rounds() {
    }

    /**
     * Two sides: the runtime and its baseline.
     *
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
        List<List<Measurement>> rounds = alternate(settings, progress, jobs,
                List.of(new Side(productLabel, product), new Side(baselineLabel, baseline)));
        return new Outcome(Measurement.medians(rounds.get(0)), Measurement.medians(rounds.get(1)), rounds.get(0),
                rounds.get(1));
    }

    /**
     * Any number of sides, each run in turn: all warm-ups first, then the measured rounds.
     *
     * @return the measured rounds of each side, in the order of {@code sides}
     */
    static List<List<Measurement>> alternate(BenchSettings settings, Progress progress, int jobs, List<Side> sides)
            throws Exception {
        for (int w = 1; w <= settings.warmups(); w++) {
            for (Side side : sides) {
                progress.phase(side.label() + " warm-up " + w + "/" + settings.warmups());
                side.round().run(jobs);
            }
        }
        List<List<Measurement>> measured = new ArrayList<>();
        sides.forEach(side -> measured.add(new ArrayList<>()));
        for (int r = 1; r <= settings.rounds(); r++) {
            for (int s = 0; s < sides.size(); s++) {
                progress.phase(sides.get(s).label() + " round " + r + "/" + settings.rounds());
                measured.get(s).add(sides.get(s).round().run(jobs));
            }
        }
        return measured;
    }

    /** @return {@code min-max} of the rounds' jobs/s */
    static String range(List<Measurement> rounds) {
        double min = rounds.stream().mapToDouble(Measurement::jobsPerS).min().orElse(Double.NaN);
        double max = rounds.stream().mapToDouble(Measurement::jobsPerS).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%,.0f-%,.0f", min, max);
    }
}
