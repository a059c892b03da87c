package org.osgijobs.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Writes configurations into the framework's ConfigAdmin from outside the framework. The ConfigAdmin API classes
 * live in the ConfigAdmin bundle, not on the runner's classpath, so they are reached through that bundle's class
 * loader and reflection: two small calls do not justify exporting a second copy of {@code org.osgi.service.cm}.
 */
final class ConfigAdminClient {
    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    /** Any bundle may bind the configuration. */
    private static final String ANY_LOCATION = "?";

    private final BundleContext context;

    ConfigAdminClient(BundleContext context) {
        this.context = context;
    }

    /**
     * Creates or replaces the configuration of a PID.
     *
     * @param pid        the PID
     * @param properties its properties
     */
    void update(String pid, Map<String, ?> properties) {
        ServiceReference<?>[] refs;
        try {
            // "all": the runner's class path may hold another copy of the cm API (under a test runner), which
            // would make the framework hide the service from the system bundle as incompatible
            refs = context.getAllServiceReferences(CONFIGURATION_ADMIN, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            throw new IllegalStateException("no ConfigurationAdmin service in the framework");
        }
        ServiceReference<?> ref = refs[0];
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass(CONFIGURATION_ADMIN);
            Class<?> configurationType = ref.getBundle().loadClass(CONFIGURATION);
            Method getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
            Method update = configurationType.getMethod("update", Dictionary.class);
            Object configuration = getConfiguration.invoke(admin, pid, ANY_LOCATION);
            update.invoke(configuration, new Hashtable<>(properties));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("configuration " + pid + " not written: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("configuration " + pid + " not written: " + e, e);
        } finally {
            context.ungetService(ref);
        }
    }
}
