package org.osgijobs.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the framework's bundles match the jars of {@code bundle/}: installs new jars in start order, updates
 * changed ones, uninstalls those whose jar is gone, gives each its start level and marks all but fragments for
 * start. A bundle that fails is reported
 * and the others go on.
 */
final class BundleProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(BundleProvisioner.class);
    /** Referenced, not copied into the cache: a faster first start; the jars stay in place anyway. */
    private static final String REFERENCE = "reference:";

    private final BundleContext context;
    private final Path folder;
    private final StartLevels levels;

    BundleProvisioner(BundleContext context, Path folder, StartLevels levels) {
        this.context = context;
        this.folder = folder.toAbsolutePath().normalize();
        this.levels = levels;
    }

    /**
     * @return the number of bundles that could not be installed, updated or started
     * @throws IOException when the folder cannot be listed
     */
    int provision() throws IOException {
        Map<String, Path> jars = jars();
        Map<String, Bundle> installed = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getLocation().startsWith(REFERENCE + folder.toUri())) {
                installed.put(bundle.getLocation(), bundle);
            }
        }
        int failures = 0;
        for (Map.Entry<String, Bundle> gone : installed.entrySet()) {
            if (!jars.containsKey(gone.getKey())) {
                failures += attempt(gone.getValue()::uninstall, "uninstall", gone.getKey());
            }
        }
        List<Bundle> toStart = new ArrayList<>();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            String location = jar.getKey();
            Bundle bundle = installed.get(location);
            try {
                if (bundle == null) {
                    bundle = context.installBundle(location);
                } else if (Files.getLastModifiedTime(jar.getValue()).toMillis() > bundle.getLastModified()) {
                    LOG.info("updating {} from {}", bundle.getSymbolicName(), jar.getValue().getFileName());
                    bundle.update();
                }
                bundle.adapt(BundleStartLevel.class).setStartLevel(levels.levelOf(jar.getValue()));
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    toStart.add(bundle);
                }
            } catch (BundleException | IOException | RuntimeException e) {
                LOG.error("cannot install {}: {}", jar.getValue(), e.getMessage());
                failures++;
            }
        }
        for (Bundle bundle : toStart) {
            failures += attempt(bundle::start, "start", bundle.getSymbolicName());
        }
        return failures;
    }

    /** @return the jars by location, in install order */
    private Map<String, Path> jars() throws IOException {
        Map<String, Path> jars = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            LOG.warn("no bundle folder {}", folder);
            return jars;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jar")) {
            files.forEach(found::add);
        }
        found.sort(levels.installOrder());
        for (Path jar : found) {
            jars.put(REFERENCE + jar.toUri(), jar);
        }
        return jars;
    }

    @FunctionalInterface
    private interface BundleAction {
        void run() throws BundleException;
    }

    private static int attempt(BundleAction action, String what, String name) {
        try {
            action.run();
            return 0;
        } catch (BundleException | RuntimeException e) {
            LOG.error("cannot {} {}: {}", what, name, e.getMessage());
            return 1;
        }
    }
}
