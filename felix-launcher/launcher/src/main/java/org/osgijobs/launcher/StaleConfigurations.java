package org.osgijobs.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the configurations that FileInstall made from files that are gone. A file deleted while the runtime is
 * stopped leaves its configuration in ConfigAdmin's store (FileInstall only sees deletions while it runs), so a
 * deleted pipeline file would bring its pipeline back at every start. Run at start, after ConfigAdmin and before
 * FileInstall and the runtime, so that no pipeline is built from such a configuration.
 *
 * <p>
 * The launcher is outside the framework and does not share ConfigAdmin's classes: it calls the service through
 * the interfaces as ConfigAdmin's bundle sees them.
 */
final class StaleConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(StaleConfigurations.class);
    private static final String ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    /** The property FileInstall sets on the configurations it makes: the file, as a {@code file:} URI. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private StaleConfigurations() {
    }

    /** @return how many configurations were deleted; problems are logged, never thrown */
    static int remove(BundleContext context) {
        ServiceReference<?> reference = context.getServiceReference(ADMIN);
        if (reference == null) {
            LOG.warn("no ConfigAdmin at start: configurations of deleted files are not cleaned up");
            return 0;
        }
        Object admin = context.getService(reference);
        if (admin == null) {
            return 0;
        }
        int removed = 0;
        try {
            Class<?> adminType = reference.getBundle().loadClass(ADMIN);
            Class<?> configurationType = reference.getBundle().loadClass(CONFIGURATION);
            Method list = adminType.getMethod("listConfigurations", String.class);
            Method properties = configurationType.getMethod("getProperties");
            Method pid = configurationType.getMethod("getPid");
            Method delete = configurationType.getMethod("delete");
            Object[] configurations = (Object[]) list.invoke(admin, "(" + FILE_PROPERTY + "=*)");
            for (Object configuration : configurations == null ? new Object[0] : configurations) {
                Dictionary<?, ?> props = (Dictionary<?, ?>) properties.invoke(configuration);
                Path file = props == null ? null : file(props.get(FILE_PROPERTY));
                if (file != null && !Files.exists(file)) {
                    Object name = pid.invoke(configuration); // a deleted configuration no longer tells its PID
                    delete.invoke(configuration);
                    removed++;
                    LOG.info("configuration {} removed: its file {} was deleted while the runtime was stopped", name,
                            file);
                }
            }
        } catch (InvocationTargetException e) {
            LOG.error("configurations of deleted files could not be cleaned up: {}", e.getCause().toString());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.error("configurations of deleted files could not be cleaned up: {}", e.toString());
        } finally {
            context.ungetService(reference);
        }
        return removed;
    }

    /** @return the file named by FileInstall's property (a {@code file:} URI, or a path), or {@code null} */
    static Path file(Object property) {
        if (property == null || property.toString().isBlank()) {
            return null;
        }
        String value = property.toString();
        try {
            return value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value);
        } catch (RuntimeException e) {
            LOG.warn("configuration file '{}' not understood: {}", value, e.getMessage());
            return null;
        }
    }
}
