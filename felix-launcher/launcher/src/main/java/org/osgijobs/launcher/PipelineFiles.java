package org.osgijobs.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pipelines that {@code conf/jobs.pipeline-<name>.cfg} files declare, as FileInstall will hand them over. */
final class PipelineFiles {
    private static final Pattern FILE = Pattern.compile("jobs\\.pipeline-(.+)\\.cfg");

    private PipelineFiles() {
    }

    /**
     * @param conf the configuration folder
     * @return the pipeline names: the file's {@code name} key, else the part of the file name after the dash
     * @throws IOException when the folder cannot be listed or a file read
     */
    static Set<String> names(Path conf) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(conf)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(conf)) {
            for (Path file : files) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (m.matches() && Files.isRegularFile(file)) {
                    Properties p = new Properties();
                    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        p.load(r);
                    }
                    String name = p.getProperty("name", "").trim();
                    names.add(name.isEmpty() ? m.group(1) : name);
                }
            }
        }
        return names;
    }
}
