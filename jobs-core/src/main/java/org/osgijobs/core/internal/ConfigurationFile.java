package org.osgijobs.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file a configuration comes from, when FileInstall made it: it records the file in the configuration's
 * {@code felix.fileinstall.filename} property (a {@code file:} URI; a plain path in older versions).
 */
final class ConfigurationFile {
    /** The property FileInstall sets on the configurations it makes from files. */
    static final String PROPERTY = "felix.fileinstall.filename";

    private ConfigurationFile() {
    }

    /** @return the file of a configuration, as a path for messages, or {@code null} when it has none */
    static String of(Map<String, ?> props) {
        Object value = props.get(PROPERTY);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        String file = value.toString();
        if (file.startsWith("file:")) {
            try {
                return Path.of(URI.create(file)).toString();
            } catch (RuntimeException e) {
                return file;
            }
        }
        return file;
    }
}
