package org.osgijobs.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the report: a scenario's medians beside its baseline's.
 *
 * @param scenario  the scenario's name
 * @param product   the runtime's figures (medians over the rounds)
 * @param baseline  the baseline's figures, measured in the same run
 * @param target    what the issue asks of the ratio or the footprint, e.g. {@code ratio >= 0.5}; empty if nothing
 * @param targetMet whether it was met; {@code null} when there is no target or nothing was measured
 * @param status    {@code ok}, {@code skipped} or {@code failed}
 * @param notes     what a reader needs to interpret the row
 * @param extras    further figures of the scenario, written as further keys of its JSON object
 */
record Result(String scenario, Measurement product, Measurement baseline, String target, Boolean targetMet,
        String status, String notes, Map<String, Double> extras) {

    static Result measured(String scenario, Measurement product, Measurement baseline, String target,
            Boolean targetMet, String notes) {
        return new Result(scenario, product, baseline, target, targetMet, "ok", notes, Map.of());
    }

    static Result skipped(String scenario, String why) {
        return new Result(scenario, null, null, "", null, "skipped", why, Map.of());
    }

    static Result failed(String scenario, String why) {
        return new Result(scenario, null, null, "", null, "failed", why, Map.of());
    }

    /** @return a copy with a note added at the end */
    Result withNote(String note) {
        return new Result(scenario, product, baseline, target, targetMet, status,
                notes == null || notes.isEmpty() ? note : notes + "; " + note, extras);
    }

    /** @return a copy with a further figure, e.g. {@code wire_baseline_jobs_per_s} */
    Result withExtra(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(extras);
        more.put(key, value);
        return new Result(scenario, product, baseline, target, targetMet, status, notes,
                Collections.unmodifiableMap(more));
    }

    /** @return product jobs/s over baseline jobs/s, or {@code null} when either is missing */
    Double ratio() {
        if (product == null || baseline == null || baseline.jobsPerS() <= 0) {
            return null;
        }
        return product.jobsPerS() / baseline.jobsPerS();
    }
}
