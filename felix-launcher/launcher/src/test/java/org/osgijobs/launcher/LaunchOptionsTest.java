package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

public class LaunchOptionsTest {

    @Test
    public void noArgumentsMeansTheConsole() {
        LaunchOptions o = LaunchOptions.parse();
        assertFalse(o.runsCommands());
        assertFalse(o.noConsole());
        assertFalse(o.help());
    }

    @Test
    public void scriptsAndCommandsKeepTheirOrder() {
        LaunchOptions o = LaunchOptions.parse("--script", "a.gosh", "-c", "jobs:list", "-s", "b.gosh",
                "--command", "jobs:stat");
        assertEquals(List.of(Path.of("a.gosh"), Path.of("b.gosh")), o.scripts());
        assertEquals(List.of("jobs:list", "jobs:stat"), o.commands());
        assertTrue(o.runsCommands());
    }

    @Test
    public void readsTheFlags() {
        assertTrue(LaunchOptions.parse("--no-console").noConsole());
        assertTrue(LaunchOptions.parse("-h").help());
        assertTrue(LaunchOptions.parse("--help").help());
    }

    @Test
    public void namesWhatIsWrong() {
        assertEquals("unknown argument '--bogus'",
                assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("--bogus")).getMessage());
        assertEquals("--script needs a value",
                assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("--script")).getMessage());
        assertEquals("-c needs a command, got an empty one",
                assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse("-c", " ")).getMessage());
    }
}
