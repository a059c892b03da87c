package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PipelineFilesTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void namesComeFromTheFileNameOrItsNameKey() throws Exception {
        Path conf = folder.getRoot().toPath();
        Files.writeString(conf.resolve("jobs.pipeline-default.cfg"), "driver=memory\n");
        Files.writeString(conf.resolve("jobs.pipeline-x.cfg"), "name = orders\ndriver=amqp\n");
        Files.writeString(conf.resolve("jobs.pipeline-off.cfg.example"), "driver=amqp\n");
        Files.writeString(conf.resolve("jobs.cfg"), "num_workers=2\n");
        assertEquals(Set.of("default", "orders"), PipelineFiles.names(conf));
    }

    @Test
    public void noFolderNoPipelines() throws Exception {
        assertEquals(Set.of(), PipelineFiles.names(folder.getRoot().toPath().resolve("missing")));
    }
}
