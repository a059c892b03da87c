package org.osgijobs.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobHandler;

/**
 * A Felix framework inside the benchmark's JVM, running the real bundles: SCR, ConfigAdmin, jobs-core and the
 * drivers, installed from {@code target/bundles}. The job API and slf4j are exported by the system bundle from the
 * runner's classpath, so the runner and the bundles share those classes and the runner talks to the {@code Jobs}
 * service and registers {@code JobHandler}s directly.
 */
final class EmbeddedFramework implements AutoCloseable {
    /** The bundles every runtime needs, in start order; the drivers are added per scenario. */
    private static final List<String> RUNTIME = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.configadmin", "org.apache.felix.scr");
    private static final String CORE = "jobs-core";
    /** jobs-api's packages as its jar exports them (their versions follow the API), and slf4j's. */
    private static final String SYSTEM_PACKAGES = apiExports() + "," + String.join(",",
            "org.slf4j;version=1.7.36", "org.slf4j.spi;version=1.7.36",
            "org.slf4j.helpers;version=1.7.36", "org.slf4j.event;version=1.7.36");
    private static final long WAIT_SECONDS = 30;

    private final Framework framework;
    private final BundleContext context;
    private final Jobs jobs;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    private EmbeddedFramework(Framework framework, Jobs jobs) {
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.jobs = jobs;
    }

    /**
     * Starts a framework with the given configurations and drivers.
     *
     * @param settings       where the bundles are and where the framework keeps its storage
     * @param scenario       names the storage folder
     * @param configurations by PID: the runtime's ({@code jobs}) and the drivers'; written before they start
     * @param drivers        driver bundles to install, e.g. {@code driver-memory}, each registering one driver name
     * @param driverNames    the {@code driver.name}s to wait for before returning
     */
    static EmbeddedFramework start(BenchSettings settings, String scenario,
            Map<String, Map<String, ?>> configurations, List<String> drivers, List<String> driverNames)
            throws Exception {
        return start(settings, scenario, configurations, drivers, driverNames, Map.of());
    }

    /**
     * As {@link #start(BenchSettings, String, Map, List, List)}, with more framework properties; a
     * {@code org.osgi.framework.system.packages.extra} among them is added to the runner's own exports.
     */
    static EmbeddedFramework start(BenchSettings settings, String scenario,
            Map<String, Map<String, ?>> configurations, List<String> drivers, List<String> driverNames,
            Map<String, String> frameworkProperties) throws Exception {
        Map<String, String> config = new HashMap<>(frameworkProperties);
        config.put(Constants.FRAMEWORK_STORAGE, settings.frameworkDir(scenario).toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        String extra = frameworkProperties.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, extra == null ? SYSTEM_PACKAGES
                : SYSTEM_PACKAGES + "," + extra);
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            startAll(context, install(context, settings.bundlesDir(), RUNTIME));
            // the configurations are in place before jobs-core and the drivers start: they activate with them, once
            ConfigAdminClient configAdmin = new ConfigAdminClient(context);
            configurations.forEach(configAdmin::update);
            List<String> product = new ArrayList<>();
            product.add(CORE);
            product.addAll(drivers);
            startAll(context, install(context, settings.bundlesDir(), product));
            Jobs jobs = await(context, Jobs.class, null);
            for (String driver : driverNames) {
                await(context, Constructor.class, "(" + Constructor.DRIVER_NAME + "=" + driver + ")");
            }
            return new EmbeddedFramework(framework, jobs);
        } catch (Exception | Error e) {
            stop(framework);
            throw e;
        }
    }

    Jobs jobs() {
        return jobs;
    }

    /** Registers a handler for jobs of the given name, as a bundle would. */
    void registerHandler(String jobName, JobHandler handler) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(JobHandler.JOB_NAME, jobName);
        registrations.add(context.registerService(JobHandler.class, handler, props));
    }

    /** Registers a service from the runner (e.g. a servlet on the HTTP Whiteboard); removed at close. */
    <T> void register(Class<T> type, T service, Map<String, ?> properties) {
        registrations.add(context.registerService(type, service, new Hashtable<>(properties)));
    }

    /** Replaces the runtime's global configuration (PID {@code jobs}); the runtime applies it asynchronously. */
    void reconfigure(Map<String, ?> jobsConfig) {
        new ConfigAdminClient(context).update("jobs", jobsConfig);
    }

    /**
     * Declares a pipeline, retrying while the runtime has not yet bound the driver's constructor (the service can
     * be visible here a moment before the runtime's dynamic reference has received it).
     */
    void declare(Map<String, String> options) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            try {
                jobs.declare(options);
                return;
            } catch (JobsException e) {
                if (!e.getMessage().contains("unknown driver") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping anyway
            }
        }
        stop(framework);
    }

    private static List<Bundle> install(BundleContext context, Path dir, List<String> names) throws BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (String name : names) {
            Path jar = dir.resolve(name + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("bundle " + jar + " is missing: build the module with"
                        + " 'mvn -pl benchmarks -am package -DskipTests' first");
            }
            bundles.add(context.installBundle(jar.toUri().toString()));
        }
        return bundles;
    }

    private static void startAll(BundleContext context, List<Bundle> bundles) throws BundleException {
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    private static <T> T await(BundleContext context, Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = filter == null ? new ServiceTracker<>(context, type, null)
                : new ServiceTracker<>(context, context.createFilter("(&(" + Constants.OBJECTCLASS + "="
                        + type.getName() + ")" + filter + ")"), null);
        tracker.open(true); // all services: under a test runner the class path may hold copies of bundle classes
        T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (service == null) {
            tracker.close();
            throw new IllegalStateException("no " + type.getSimpleName() + (filter == null ? "" : " " + filter)
                    + " service within " + WAIT_SECONDS + " s: see the framework log");
        }
        // the tracker stays open: the service stays in use for the framework's lifetime
        return service;
    }

    private static void stop(Framework framework) throws Exception {
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    /** @return the Export-Package header of the jobs-api jar on the runner's class path */
    private static String apiExports() {
        try {
            java.net.URL jar = Jobs.class.getProtectionDomain().getCodeSource().getLocation();
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(new java.io.File(jar.toURI()))) {
                String exports = file.getManifest().getMainAttributes().getValue("Export-Package");
                if (exports == null) {
                    throw new IllegalStateException(jar + " exports no package");
                }
                return exports;
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot read jobs-api's exports from the class path: " + e, e);
        }
    }
}
