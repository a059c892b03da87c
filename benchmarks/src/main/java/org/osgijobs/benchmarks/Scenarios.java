package org.osgijobs.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The scenarios of the issue, in their order, and selection by name. */
final class Scenarios {

    private Scenarios() {
    }

    static List<Scenario> all() {
        return List.of(new MemoryThroughputScenario("memory-noop", 500_000, JobMix.UNIFORM),
                new MemoryThroughputScenario("memory-mixed", 500_000, JobMix.MIXED),
                LatencyScenario.atRate("memory-latency-10k", 10_000),
                LatencyScenario.atRate("memory-latency-100k", 100_000),
                LatencyScenario.atShareOfSaturation("memory-latency-50pct", 0.5),
                new AmqpScenario(),
                new NatsScenario(),
                new KafkaScenario(),
                new SqsScenario(),
                new FootprintScenario(),
                new WorkerScalingScenario(),
                new LocalScenario(LocalFileBaseline.Sync.ALWAYS, 2_000),
                new LocalScenario(LocalFileBaseline.Sync.BATCH, 100_000),
                new LocalScenario(LocalFileBaseline.Sync.NONE, 100_000),
                new JdbcScenario(),
                new BeanstalkScenario(),
                new HttpScenario(),
                new PipelinesScenario("memory", 1),
                new PipelinesScenario("memory", 10),
                new PipelinesScenario("memory", 100),
                new PipelinesScenario("amqp", 1),
                new PipelinesScenario("amqp", 10),
                new PipelinesScenario("amqp", 100),
                new JobRunrScenario(),
                new ColdStartScenario(ColdStartScenario.Kind.FIRST),
                new ColdStartScenario(ColdStartScenario.Kind.LATER),
                new ColdStartScenario(ColdStartScenario.Kind.LATER_CDS));
    }

    /**
     * @param names scenario names, or the first part of names before a {@code -} for all of a group ({@code local}
     *              selects {@code local-always}, {@code local-batch} and {@code local-none}); empty for all
     * @return the scenarios, in the order given
     * @throws IllegalArgumentException naming an unknown scenario and the known ones
     */
    static List<Scenario> select(List<String> names) {
        List<Scenario> all = all();
        if (names.isEmpty()) {
            return all;
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : names) {
            List<Scenario> named = all.stream().filter(s -> s.name().equals(name)).toList();
            if (named.isEmpty()) {
                named = all.stream().filter(s -> s.name().startsWith(name + "-")).toList();
            }
            if (named.isEmpty()) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + all.stream().map(Scenario::name).collect(Collectors.joining(", ")));
            }
            selected.addAll(named);
        }
        return selected;
    }
}
