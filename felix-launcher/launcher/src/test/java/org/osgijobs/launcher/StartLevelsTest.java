package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class StartLevelsTest {
    private final StartLevels levels = StartLevels.of(Map.of(
            "jobs.bundles.level.1", "org.apache.felix.log-*, slf4j-*,org.apache.felix.scr-*",
            "jobs.bundles.level.3", "jobs-core-*",
            "other.property", "x"), 2);

    @Test
    public void theFirstMatchingGlobGivesTheLevelElseTheDefault() {
        assertEquals(1, levels.levelOf(Path.of("/b/slf4j-api-1.7.36.jar")));
        assertEquals(3, levels.levelOf(Path.of("/b/jobs-core-1.0.0.jar")));
        assertEquals(2, levels.levelOf(Path.of("/b/driver-memory-1.0.0.jar")));
    }

    @Test
    public void installOrderFollowsLevelsThenTheGlobsThenNames() {
        List<Path> jars = new ArrayList<>(List.of(Path.of("jobs-core-1.jar"), Path.of("b-handler.jar"),
                Path.of("org.apache.felix.scr-2.jar"), Path.of("a-driver.jar"), Path.of("slf4j-simple.jar"),
                Path.of("slf4j-api.jar"), Path.of("org.apache.felix.log-1.jar")));
        jars.sort(levels.installOrder());
        assertEquals(List.of(Path.of("org.apache.felix.log-1.jar"), Path.of("slf4j-api.jar"),
                Path.of("slf4j-simple.jar"), Path.of("org.apache.felix.scr-2.jar"), Path.of("a-driver.jar"),
                Path.of("b-handler.jar"), Path.of("jobs-core-1.jar")), jars);
    }

    @Test
    public void namesABadLevel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartLevels.of(Map.of("jobs.bundles.level.first", "x-*"), 2));
        assertEquals("jobs.bundles.level.first: the start level after 'jobs.bundles.level.' must be a number "
                + "from 1, got 'first'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartLevels.of(Map.of("jobs.bundles.level.0", "x"), 2));
    }
}
