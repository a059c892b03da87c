package org.osgijobs.launcher.it;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jobs the examples' handlers ran, read from a distribution's log: how many times each job id ran. Only
 * complete lines count, so a log read while it is being written gives no partial id.
 */
final class HandledJobs {
    private HandledJobs() {
    }

    /** @return id → runs of the {@code log} handler on the pipeline, for the ids starting with the prefix */
    static Map<String, Integer> logged(String log, String pipeline, String idPrefix) {
        return count(Pattern.compile("(?m)LogJobHandler - job log id=(" + Pattern.quote(idPrefix) + "\\S*) pipeline="
                + Pattern.quote(pipeline) + " .*$"), log);
    }

    /** @return id → finished runs of the {@code sleep} handler, for the ids starting with the prefix */
    static Map<String, Integer> slept(String log, String idPrefix) {
        return count(Pattern.compile("(?m)job sleep id=(" + Pattern.quote(idPrefix)
                + "[^\\s:]*): woke up after \\d+ ms$"), log);
    }

    /** @return id → started runs of the {@code sleep} handler, for the ids starting with the prefix */
    static Map<String, Integer> started(String log, String idPrefix) {
        return count(Pattern.compile("(?m)job sleep id=(" + Pattern.quote(idPrefix)
                + "\\S*) attempt=\\d+: sleeping "), log);
    }

    /** @return id → runs summed over the maps */
    @SafeVarargs
    static Map<String, Integer> merged(Map<String, Integer>... runs) {
        Map<String, Integer> all = new TreeMap<>();
        for (Map<String, Integer> one : runs) {
            one.forEach((id, n) -> all.merge(id, n, Integer::sum));
        }
        return all;
    }

    /** @return all runs, repeats included */
    static int runs(Map<String, Integer> runs) {
        return sum(runs.values());
    }

    private static int sum(Collection<Integer> counts) {
        return counts.stream().mapToInt(Integer::intValue).sum();
    }

    private static Map<String, Integer> count(Pattern line, String log) {
        Map<String, Integer> runs = new TreeMap<>();
        Matcher m = line.matcher(log);
        while (m.find()) {
            runs.merge(m.group(1), 1, Integer::sum);
        }
        return runs;
    }
}
