package org.osgijobs.driver.beanstalk.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a number of seconds as RoadRunner's configuration writes it: {@code 30}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(s|m|h)?");

    private Durations() {
    }

    /** @return whole seconds, or -1 when the text is not such a duration */
    static long seconds(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return unit.equals("h") ? n * 3600 : unit.equals("m") ? n * 60 : n;
    }
}
