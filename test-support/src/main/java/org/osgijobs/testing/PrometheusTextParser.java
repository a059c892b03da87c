package org.osgijobs.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: every sample belongs to the family announced by
 * the last {@code # TYPE}, names and label names are valid, label values are unescaped, no series appears twice,
 * and each histogram's buckets rise with {@code le}, end with {@code +Inf} and equal its {@code _count}. It answers
 * the samples by series key: {@code name{label="value",...}} with labels sorted.
 */
public final class PrometheusTextParser {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        String family = null;
        String type = null;
        String histogramSeries = null;
        double lastLe = Double.NEGATIVE_INFINITY;
        double lastBucket = 0;
        int lineNo = 0;
        if (!text.endsWith("\n")) {
            throw new AssertionError("the text must end with a new line");
        }
        for (String line : text.split("\n")) {
            lineNo++;
            String at = "line " + lineNo + ": " + line;
            if (line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                require(NAME.matcher(name).matches(), at);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                require(parts.length == 2 && NAME.matcher(parts[0]).matches() && TYPES.contains(parts[1]), at);
                require(types.put(parts[0], parts[1]) == null, "family announced twice: " + at);
                family = parts[0];
                type = parts[1];
                histogramSeries = null;
                continue;
            }
            require(!line.isEmpty() && !line.startsWith("#"), at);
            Matcher m = SAMPLE.matcher(line);
            require(m.matches(), at);
            String name = m.group(1);
            Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), at);
            double value = value(m.group(4), at);
            require(family != null, "sample before any TYPE: " + at);
            if ("histogram".equals(type)) {
                require(name.equals(family + "_bucket") || name.equals(family + "_sum")
                        || name.equals(family + "_count"), "not of histogram " + family + ": " + at);
                Map<String, String> withoutLe = new TreeMap<>(labels);
                String le = withoutLe.remove("le");
                String series = withoutLe.toString();
                if (name.endsWith("_bucket")) {
                    require(le != null, "bucket without le: " + at);
                    if (!series.equals(histogramSeries)) {
                        histogramSeries = series;
                        lastLe = Double.NEGATIVE_INFINITY;
                        lastBucket = 0;
                    }
                    double bound = value(le, at);
                    require(bound > lastLe && value >= lastBucket, "buckets must rise: " + at);
                    lastLe = bound;
                    lastBucket = value;
                } else if (name.endsWith("_count")) {
                    require(series.equals(histogramSeries) && lastLe == Double.POSITIVE_INFINITY
                            && value == lastBucket, "_count must follow its buckets and equal +Inf: " + at);
                }
            } else {
                require(name.equals(family), "sample " + name + " is not of family " + family + ": " + at);
            }
            String key = name + new TreeMap<>(labels).toString().replace(", ", ",");
            require(samples.put(key, value) == null, "series twice: " + at);
        }
        return samples;
    }

    private static Map<String, String> labels(String text, String at) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            require(eq > i, at);
            String name = text.substring(i, eq);
            require(NAME.matcher(name).matches() && text.charAt(eq + 1) == '"', at);
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (;; j++) {
                require(j < text.length(), "unterminated label value: " + at);
                char c = text.charAt(j);
                if (c == '\\') {
                    char next = text.charAt(++j);
                    require(next == '\\' || next == '"' || next == 'n', "bad escape: " + at);
                    value.append(next == 'n' ? '\n' : next);
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                }
            }
            require(labels.put(name, value.toString()) == null, "label twice: " + at);
            i = j + 1;
            if (i < text.length()) {
                require(text.charAt(i) == ',', at);
                i++;
            }
        }
        return labels;
    }

    private static double value(String text, String at) {
        switch (text) {
        case "+Inf":
            return Double.POSITIVE_INFINITY;
        case "-Inf":
            return Double.NEGATIVE_INFINITY;
        case "NaN":
            return Double.NaN;
        default:
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new AssertionError("not a number: " + at);
            }
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
