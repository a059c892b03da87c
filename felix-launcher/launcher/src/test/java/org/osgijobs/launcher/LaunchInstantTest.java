package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;

import org.junit.Test;

public class LaunchInstantTest {
    private static final Instant JVM_START = Instant.ofEpochMilli(
            ManagementFactory.getRuntimeMXBean().getStartTime());

    @Test
    public void theScriptsStampIsTheStart() {
        assertEquals(Instant.ofEpochMilli(1796300000123L), LaunchInstant.of("1796300000123"));
    }

    @Test
    public void withoutAStampTheJvmsStartTimeIsTheStart() {
        assertEquals(JVM_START, LaunchInstant.of(null));
    }

    @Test
    public void aStampThatIsNotEpochMillisecondsIsIgnored() {
        // what `date +%s%3N` prints where %N is not supported (BSD date): "17963000003N"
        assertEquals(JVM_START, LaunchInstant.of("17963000003N"));
        assertEquals(JVM_START, LaunchInstant.of(""));
        assertTrue(LaunchInstant.of("12").equals(JVM_START));
    }
}
