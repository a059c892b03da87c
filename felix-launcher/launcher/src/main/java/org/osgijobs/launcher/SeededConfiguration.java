package org.osgijobs.launcher;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands ConfigAdmin a configuration from its {@code conf/} file before the bundles that use it start. FileInstall
 * reads {@code conf/} only once it runs, in its own thread: on the very first start the HTTP API could otherwise
 * answer for a moment with its defaults, that is without the bearer token the launcher has just written. The
 * configuration carries FileInstall's file property, so FileInstall takes it as its own from then on. A
 * configuration ConfigAdmin already has (any later start) is left alone.
 * <p>
 * Like {@link StaleConfigurations}, it reaches ConfigAdmin through the interfaces as ConfigAdmin's bundle sees them.
 */
final class SeededConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SeededConfiguration.class);
    private static final String ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";

    private SeededConfiguration() {
    }

    /**
     * @param pid  the configuration's PID (a singleton configuration)
     * @param file its {@code .cfg} file in {@code conf/}
     * @return whether a configuration was created
     */
    static boolean seed(BundleContext context, String pid, Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        ServiceReference<?> reference = context.getServiceReference(ADMIN);
        Object admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            LOG.warn("no ConfigAdmin at start: {} waits for FileInstall to read {}", pid, file);
            return false;
        }
        try {
            Class<?> adminType = reference.getBundle().loadClass(ADMIN);
            Class<?> configurationType = reference.getBundle().loadClass(CONFIGURATION);
            // location "?": any bundle may get it, as with the configurations FileInstall makes
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, pid, "?");
            if (configurationType.getMethod("getProperties").invoke(configuration) != null) {
                return false;
            }
            Method update = configurationType.getMethod("update", Dictionary.class);
            update.invoke(configuration, read(file));
            return true;
        } catch (InvocationTargetException e) {
            LOG.error("{} could not be set from {} before start: {}", pid, file, e.getCause().toString());
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.error("{} could not be set from {} before start: {}", pid, file, e.toString());
        } finally {
            context.ungetService(reference);
        }
        return false;
    }

    /** @return the file's properties as FileInstall would give them (strings), with its file property */
    static Dictionary<String, Object> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Hashtable<String, Object> dictionary = new Hashtable<>();
        properties.stringPropertyNames().forEach(key -> dictionary.put(key, properties.getProperty(key).strip()));
        // the form FileInstall writes (File.toURI: "file:/..."), so that it finds this configuration by its file
        dictionary.put(StaleConfigurations.FILE_PROPERTY, file.toFile().getAbsoluteFile().toURI().toString());
        return dictionary;
    }
}
