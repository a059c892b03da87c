package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PropertiesFileTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void substitutesOutsideValuesAndTheFilesOwn() throws Exception {
        Path file = folder.getRoot().toPath().resolve("framework.properties");
        Files.writeString(file, "# comment\n"
                + "data=${jobs.home}/data\n"
                + "cache=${data}/cache\n"
                + "plain=value\n");
        Map<String, String> p = PropertiesFile.load(file, name -> "jobs.home".equals(name) ? "/opt/jobs" : null);
        assertEquals(Map.of("data", "/opt/jobs/data", "cache", "/opt/jobs/data/cache", "plain", "value"), p);
    }

    @Test
    public void aMissingFileIsEmpty() throws Exception {
        assertTrue(PropertiesFile.load(folder.getRoot().toPath().resolve("none.properties"), n -> null).isEmpty());
    }

    @Test
    public void namesAnUnknownProperty() throws Exception {
        Path file = folder.getRoot().toPath().resolve("framework.properties");
        Files.writeString(file, "dir=${nowhere}/x\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PropertiesFile.load(file, n -> null));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown property '${nowhere}'"));
        assertTrue(e.getMessage(), e.getMessage().contains("(dir)"));
    }

    @Test
    public void refusesALoop() throws Exception {
        Path file = folder.getRoot().toPath().resolve("framework.properties");
        Files.writeString(file, "a=${b}\nb=${a}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PropertiesFile.load(file, n -> null));
        assertTrue(e.getMessage(), e.getMessage().contains("loop"));
    }

    @Test
    public void substitutionNamesAnUnclosedReference() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Substitution.apply("x${y", n -> "v", "here"));
        assertEquals("here: '${' without a closing '}' in 'x${y'", e.getMessage());
        assertEquals("a-v-b-v", Substitution.apply("a-${y}-b-${y}", n -> "v", "here"));
    }
}
