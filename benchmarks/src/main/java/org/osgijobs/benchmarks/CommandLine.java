package org.osgijobs.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's arguments: options {@code --name=value} and scenario names.
 *
 * @param action    what to do
 * @param settings  how to run (for {@link Action#RUN})
 * @param scenarios which scenarios, in order (for {@link Action#RUN})
 */
record CommandLine(Action action, BenchSettings settings, List<Scenario> scenarios) {

    /** What the runner is asked to do. */
    enum Action {
        RUN, LIST, HELP
    }

    static final String DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/";

    static final String USAGE = """
            usage: java -jar benchmarks/target/benchmarks.jar [options] [scenario...]
              --rounds=N   measured rounds per side, the median is reported (default 5)
              --warmup=N   warm-up rounds per side (default 2)
              --scale=F    multiply every scenario's job count by F, e.g. 0.1 for a quick check (default 1)
              --amqp=URI   broker of the amqp scenario, as the driver's addr: a trailing / is the vhost /
                           (default %s)
              --list       list the scenarios and exit
            without scenario names, all scenarios run in the order of --list""".formatted(DEFAULT_AMQP);

    /**
     * @param args      the arguments
     * @param targetDir the module's target folder
     * @return the parsed command line
     * @throws IllegalArgumentException naming the bad argument
     */
    static CommandLine parse(String[] args, Path targetDir) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
            } else {
                names.add(arg);
            }
        }
        if (options.containsKey("help")) {
            return new CommandLine(Action.HELP, null, List.of());
        }
        if (options.containsKey("list")) {
            return new CommandLine(Action.LIST, null, Scenarios.all());
        }
        BenchSettings settings = new BenchSettings(intOption(options, "rounds", 5, 1),
                intOption(options, "warmup", 2, 0), scale(options.getOrDefault("scale", "1")), targetDir,
                options.getOrDefault("amqp", DEFAULT_AMQP));
        options.keySet().removeAll(List.of("rounds", "warmup", "scale", "amqp"));
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
        }
        return new CommandLine(Action.RUN, settings, Scenarios.select(names));
    }

    private static int intOption(Map<String, String> options, String key, int defaultValue, int min) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + raw + "'");
        }
        if (value < min) {
            throw new IllegalArgumentException("--" + key + " must be at least " + min + ", got " + raw);
        }
        return value;
    }

    private static double scale(String raw) {
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale must be a number, got '" + raw + "'");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--scale must be above 0, got " + raw);
        }
        return value;
    }
}
