package org.osgijobs.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of a distribution, all under its home: {@code conf/} (configuration, watched), {@code bundle/}
 * (the bundles installed at start), {@code deploy/} (watched for bundles), {@code data/} (the framework's
 * cache) and {@code log/}.
 *
 * @param home the distribution's root folder
 */
record Layout(Path home) {

    /** The system property that names the home folder; the start script sets it. */
    static final String HOME_PROPERTY = "jobs.home";

    Layout {
        home = home.toAbsolutePath().normalize();
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path bundles() {
        return home.resolve("bundle");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path data() {
        return home.resolve("data");
    }

    Path log() {
        return home.resolve("log");
    }

    /**
     * Finds the home: the {@value #HOME_PROPERTY} system property, else the parent of the {@code lib/} folder
     * holding this launcher's jar, else the working directory.
     */
    static Layout locate() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new Layout(Path.of(property));
        }
        try {
            Path jar = Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent();
            if (Files.isRegularFile(jar) && lib != null && lib.getParent() != null
                    && "lib".equals(lib.getFileName().toString())) {
                return new Layout(lib.getParent());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // not started from a jar in lib/: fall through
        }
        return new Layout(Path.of(""));
    }
}
