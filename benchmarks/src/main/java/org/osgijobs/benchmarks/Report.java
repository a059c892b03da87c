package org.osgijobs.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the rows: a text table for people and a JSON array for tools ({@code target/results.json}, keys
 * {@code scenario, jobs_per_s, baseline_jobs_per_s, ratio, p50_us, p99_us}, {@code bytes_per_job} where it
 * applies, and the baseline's latencies, target, status and notes).
 */
final class Report {
    private static final String[] HEADERS = { "scenario", "jobs/s", "baseline jobs/s", "ratio", "p50 us", "p99 us",
        "B/job", "target", "notes" };

    private Report() {
    }

    /** @return the table, one line per row, columns aligned; notes run on unaligned at the end */
    static String table(List<Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Result r : results) {
            Measurement p = r.product();
            Measurement b = r.baseline();
            rows.add(new String[] { r.scenario(), p == null ? "-" : whole(p.jobsPerS()),
                b == null ? "-" : whole(b.jobsPerS()), r.ratio() == null ? "-" : fixed(r.ratio(), 3),
                p == null ? "-" : number(p.p50Us()), p == null ? "-" : number(p.p99Us()),
                p == null ? "-" : number(p.bytesPerJob()), target(r), notes(r) });
        }
        int[] widths = new int[HEADERS.length - 1];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] row = rows.get(n);
            for (int i = 0; i < widths.length; i++) {
                String cell = row[i];
                // text columns left, figures right
                out.append(i == 0 || i == 7 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append("  ");
            }
            out.append(row[widths.length]).append('\n');
            if (n == 0) {
                int rule = 0;
                for (int w : widths) {
                    rule += w + 2;
                }
                out.append("-".repeat(rule + HEADERS[widths.length].length())).append('\n');
            }
        }
        return out.toString();
    }

    /** Writes the rows as a JSON array. */
    static void writeJson(List<Result> results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            out.append("  ").append(object(fields(results.get(i))));
            out.append(i + 1 < results.size() ? ",\n" : "\n");
        }
        out.append("]\n");
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    /** @return a figure with one decimal under 100 and none above, or {@code -} */
    static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "-";
        }
        return value < 100 ? fixed(value, 1) : whole(value);
    }

    private static Map<String, Object> fields(Result r) {
        Map<String, Object> f = new LinkedHashMap<>();
        Measurement p = r.product();
        Measurement b = r.baseline();
        f.put("scenario", r.scenario());
        f.put("status", r.status());
        f.put("jobs_per_s", p == null ? null : Math.round(p.jobsPerS()));
        f.put("baseline_jobs_per_s", b == null ? null : Math.round(b.jobsPerS()));
        f.put("ratio", r.ratio() == null ? null : round(r.ratio(), 3));
        f.put("p50_us", p == null ? null : round(p.p50Us(), 1));
        f.put("p99_us", p == null ? null : round(p.p99Us(), 1));
        f.put("baseline_p50_us", b == null ? null : round(b.p50Us(), 1));
        f.put("baseline_p99_us", b == null ? null : round(b.p99Us(), 1));
        if (p != null && p.bytesPerJob() != null) {
            f.put("bytes_per_job", round(p.bytesPerJob(), 1));
            f.put("baseline_bytes_per_job", b == null ? null : round(b.bytesPerJob(), 1));
        }
        r.extras().forEach((key, value) -> f.put(key, round(value, 3)));
        f.put("target", r.target());
        f.put("target_met", r.targetMet());
        f.put("notes", r.notes());
        return f;
    }

    private static String object(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(quote(k)).append(": ").append(value(v));
        });
        return out.append('}').toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.valueOf(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return quote(v.toString());
    }

    /** JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            }
        }
        return out.append('"').toString();
    }

    private static String target(Result r) {
        if (r.target() == null || r.target().isEmpty()) {
            return "-";
        }
        return r.target() + (r.targetMet() == null ? "" : r.targetMet() ? " met" : " MISSED");
    }

    private static String notes(Result r) {
        return "ok".equals(r.status()) ? r.notes() : r.status().toUpperCase(Locale.ROOT) + ": " + r.notes();
    }

    private static Double round(Double value, int decimals) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String whole(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
