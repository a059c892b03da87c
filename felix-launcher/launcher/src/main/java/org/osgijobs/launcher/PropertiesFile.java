package org.osgijobs.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Reads a {@code .properties} file whose values may refer to system properties and to each other. */
final class PropertiesFile {

    private PropertiesFile() {
    }

    /**
     * @param file     the file; a missing file gives an empty map
     * @param outside  values for names the file does not define (system properties, {@code jobs.home})
     * @return the file's properties, substituted, in name order
     * @throws IOException when the file cannot be read
     */
    static Map<String, String> load(Path file, UnaryOperator<String> outside) throws IOException {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, String> result = new TreeMap<>();
        Map<String, String> own = new LinkedHashMap<>();
        raw.stringPropertyNames().forEach(name -> own.put(name, raw.getProperty(name)));
        for (Map.Entry<String, String> entry : own.entrySet()) {
            result.put(entry.getKey(), resolve(entry.getValue(), own, outside, file + " (" + entry.getKey() + ")", 0));
        }
        return result;
    }

    private static String resolve(String value, Map<String, String> own, UnaryOperator<String> outside,
            String location, int depth) {
        if (depth > 10) {
            throw new IllegalArgumentException(location + ": properties refer to each other in a loop");
        }
        return Substitution.apply(value, name -> {
            String local = own.get(name);
            return local != null ? resolve(local, own, outside, location, depth + 1) : outside.apply(name);
        }, location);
    }
}
