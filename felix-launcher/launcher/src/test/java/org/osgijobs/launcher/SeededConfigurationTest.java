package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SeededConfigurationTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theFileIsReadAsFileInstallWouldWithItsFileProperty() throws Exception {
        Path file = folder.getRoot().toPath().resolve("jobs.http.cfg");
        Files.writeString(file, "# a comment\ntoken=s3cr\u00e9t \n#base_path=/x\nallow_remote = false\n",
                StandardCharsets.UTF_8);
        Dictionary<String, Object> props = SeededConfiguration.read(file);
        assertEquals("s3cr\u00e9t", props.get("token"));
        assertEquals("false", props.get("allow_remote"));
        assertEquals(null, props.get("base_path"));
        assertEquals(file.toFile().getAbsoluteFile().toURI().toString(), props.get("felix.fileinstall.filename"));
        assertEquals(3, props.size());
    }
}
