package org.osgijobs.launcher;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * When this start began, for the "ready in N ms" line. {@code bin/jobs} stamps the moment it execs the JVM
 * ({@code -Djobs.launched.at}, epoch milliseconds); without a stamp, the JVM's own start time, which misses only the
 * few milliseconds before the JVM initialised. Not {@link ProcessHandle}'s start instant: on Linux it is computed
 * from the boot time in whole seconds ({@code btime}), so it is early by up to a second, the same error for every
 * start since boot (0.44 s on the machine where this was found), which made starts look that much slower.
 */
final class LaunchInstant {
    /** The system property {@code bin/jobs} sets. */
    static final String PROPERTY = "jobs.launched.at";

    private LaunchInstant() {
    }

    /** @return the moment the script launched the JVM, or the JVM's start time when there is no usable stamp */
    static Instant of(String stamp) {
        if (stamp != null && stamp.matches("[0-9]{10,16}")) {
            return Instant.ofEpochMilli(Long.parseLong(stamp));
        }
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }
}
