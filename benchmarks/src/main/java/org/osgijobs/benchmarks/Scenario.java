package org.osgijobs.benchmarks;

/** One benchmark: measures the runtime and its baseline in the same run and returns one row. */
interface Scenario {

    /** @return the name used on the command line and in the report */
    String name();

    /** @return one line saying what is measured */
    String summary();

    /**
     * @param settings how the run is made
     * @param progress the progress line
     * @return the row; {@link Result#skipped} when a prerequisite (a broker) is missing
     */
    Result run(BenchSettings settings, Progress progress) throws Exception;
}
