package org.osgijobs.benchmarks;

import java.nio.file.Path;

/**
 * How a run is made.
 *
 * @param rounds     measured rounds per side (the median is reported)
 * @param warmups    warm-up rounds per side, not measured
 * @param scale      factor applied to every scenario's job count ({@code 1} for the documented figures)
 * @param targetDir  the module's {@code target} folder: bundles, framework storage, log and results live there
 * @param amqpUri    the broker of the AMQP scenario
 */
record BenchSettings(int rounds, int warmups, double scale, Path targetDir, String amqpUri) {

    /** @return the job count of a scenario after scaling, at least 1 */
    int jobs(int documented) {
        return (int) Math.max(1, Math.round(documented * scale));
    }

    Path bundlesDir() {
        return targetDir.resolve("bundles");
    }

    Path frameworkDir(String scenario) {
        return targetDir.resolve("bench-felix").resolve(scenario);
    }

    Path logFile() {
        return targetDir.resolve("bench.log");
    }

    Path resultsFile() {
        return targetDir.resolve("results.json");
    }
}
