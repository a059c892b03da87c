package org.osgijobs.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): one {@code # HELP} and {@code # TYPE} per metric
 * family, then its samples; label values escaped as the format says (backslash, double quote, new line).
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    PrometheusText histogram(String name, Map<String, String> labels, Histogram.Snapshot h) {
        for (int i = 0; i < h.bounds().length; i++) {
            sample(name + "_bucket", with(labels, "le", number(h.bounds()[i])), h.cumulative()[i]);
        }
        sample(name + "_bucket", with(labels, "le", "+Inf"), h.count());
        sample(name + "_sum", labels, h.sumSeconds());
        sample(name + "_count", labels, h.count());
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        }
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
