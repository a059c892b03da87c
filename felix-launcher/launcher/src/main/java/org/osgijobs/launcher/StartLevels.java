package org.osgijobs.launcher;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The start level and start order of the jars of {@code bundle/}, from framework properties
 * {@code jobs.bundles.level.<n>=glob,glob,...}: a jar gets the level of the first glob its file name matches,
 * in the order of the globs, else the default level. The framework stops bundles from the highest level down,
 * so the runtime (high) stops while the drivers and handlers it relies on (lower) are still there.
 */
final class StartLevels {
    static final String PREFIX = "jobs.bundles.level.";

    private record Rule(int level, int order, PathMatcher matcher) {
    }

    private final List<Rule> rules;
    private final int defaultLevel;

    private StartLevels(List<Rule> rules, int defaultLevel) {
        this.rules = rules;
        this.defaultLevel = defaultLevel;
    }

    /**
     * @param properties   the framework properties
     * @param defaultLevel the level of jars no glob matches
     * @throws IllegalArgumentException naming a property whose level is not a positive number
     */
    static StartLevels of(Map<String, String> properties, int defaultLevel) {
        Map<Integer, String> byLevel = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                String suffix = key.substring(PREFIX.length());
                int level;
                try {
                    level = Integer.parseInt(suffix);
                } catch (NumberFormatException e) {
                    level = 0;
                }
                if (level < 1) {
                    throw new IllegalArgumentException(key + ": the start level after '" + PREFIX
                            + "' must be a number from 1, got '" + suffix + "'");
                }
                byLevel.put(level, value);
            }
        });
        List<Rule> rules = new ArrayList<>();
        byLevel.forEach((level, globs) -> {
            int order = 0;
            for (String glob : globs.split(",")) {
                if (!glob.isBlank()) {
                    rules.add(new Rule(level, order++, FileSystems.getDefault().getPathMatcher("glob:" + glob.trim())));
                }
            }
        });
        return new StartLevels(rules, defaultLevel);
    }

    /** @return the start level of a jar */
    int levelOf(Path jar) {
        return rule(jar).map(Rule::level).orElse(defaultLevel);
    }

    /** @return jars sorted by level, then by the order of the globs, then by name: the order to install them */
    Comparator<Path> installOrder() {
        return Comparator.<Path>comparingInt(this::levelOf)
                .thenComparingInt(jar -> rule(jar).map(Rule::order).orElse(Integer.MAX_VALUE))
                .thenComparing(jar -> jar.getFileName().toString());
    }

    private java.util.Optional<Rule> rule(Path jar) {
        Path name = jar.getFileName();
        return rules.stream().filter(r -> r.matcher().matches(name)).findFirst();
    }
}
