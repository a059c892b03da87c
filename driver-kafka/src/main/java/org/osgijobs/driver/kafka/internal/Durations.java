package org.osgijobs.driver.kafka.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads RoadRunner's durations: {@code 10s}, {@code 500ms}, {@code 1m}, {@code 2h}, or a bare number of seconds. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * @param value the text
     * @return milliseconds, or {@code -1} when the text is not a duration
     */
    static long millis(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms":
                return n;
            case "m":
                return n * 60_000L;
            case "h":
                return n * 3_600_000L;
            default:
                return n * 1000L;
        }
    }
}
