package org.osgijobs.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Rule;
import org.junit.rules.Timeout;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;
import org.osgijobs.api.handler.JobHandler;

/**
 * Base class of the integration tests: the framework's configuration and the fixtures a test needs inside it.
 * <p>
 * A subclass is annotated {@code @RunWith(PaxExam.class)} and {@code @ExamReactorStrategy(PerClass.class)}: one
 * framework per test class, shared by its methods. So that methods stay independent, everything created through
 * this class (handler services, configurations, declared pipelines, changed singleton configurations, installed
 * bundles) is undone after each test.
 * <p>
 * Waiting is always for a condition, with a generous deadline ({@link #DEADLINE}); a test never sleeps for a
 * result.
 */
public abstract class ItestSupport {

    /** How long a test waits for a condition before failing: generous, the build machine is small and busy. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The factory PID of configured pipelines. */
    public static final String PIPELINE_FACTORY_PID = "jobs.pipeline";
    /** The PID of the runtime's global configuration. */
    public static final String JOBS_PID = "jobs";

    private static final long POLL_MILLIS = 10;

    /** A test that hangs fails with the stack of the stuck thread instead of blocking the build. */
    @Rule
    public final Timeout timeout = Timeout.builder().withTimeout(3, TimeUnit.MINUTES).withLookingForStuckThread(true)
            .build();

    /** The probe bundle's context: the test's own bundle in the framework. */
    @Inject
    protected BundleContext bundleContext;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<org.osgi.service.cm.Configuration> createdConfigurations = new ArrayList<>();
    private final List<Runnable> restores = new ArrayList<>();
    private final List<String> declaredPipelines = new ArrayList<>();
    private final List<Bundle> installedBundles = new ArrayList<>();
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new java.util.HashMap<>();

    /**
     * The framework of this test class: its own storage, logging, the bundles of {@link #bundles()}.
     *
     * @return pax-exam's options
     */
    @Configuration
    public Option[] configuration() {
        return options(ItestBundles.framework(getClass()), bundles());
    }

    /**
     * The bundles this test class runs with. Override to add or replace some, e.g. with
     * {@link ItestBundles#amqpDriver()}.
     *
     * @return by default the runtime ({@link ItestBundles#runtime()}), the memory driver and the tests' shared
     *         helpers ({@link ItestBundles#testSupport()})
     */
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(), ItestBundles.testSupport());
    }

    /**
     * Undoes what the test created through this class, newest first, so the next test starts clean. Every step is
     * tried even when an earlier one fails; the first failure is rethrown at the end.
     */
    @After
    public void undoFixtures() {
        List<Runnable> steps = new ArrayList<>();
        for (Bundle b : reversed(installedBundles)) {
            steps.add(() -> {
                if (b.getState() != Bundle.UNINSTALLED) {
                    try {
                        b.uninstall();
                    } catch (org.osgi.framework.BundleException e) {
                        throw new IllegalStateException("cannot uninstall " + b.getSymbolicName(), e);
                    }
                }
            });
        }
        for (String pipeline : reversed(declaredPipelines)) {
            steps.add(() -> {
                Jobs jobs = serviceNow(Jobs.class);
                if (jobs != null && jobs.list().contains(pipeline)) {
                    jobs.destroy(pipeline);
                }
            });
        }
        for (org.osgi.service.cm.Configuration c : reversed(createdConfigurations)) {
            steps.add(() -> {
                try {
                    c.delete();
                } catch (IllegalStateException alreadyDeleted) {
                    // the test deleted it itself
                } catch (IOException e) {
                    throw new IllegalStateException("cannot delete configuration " + c.getPid(), e);
                }
            });
        }
        for (ServiceRegistration<?> r : reversed(registrations)) {
            steps.add(() -> {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the test unregistered it itself
                }
            });
        }
        steps.addAll(reversed(restores));
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException | AssertionError e) {
                if (first == null) {
                    first = new IllegalStateException("clean-up after the test failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        synchronized (trackers) {
            trackers.values().forEach(ServiceTracker::close);
            trackers.clear();
        }
        installedBundles.clear();
        registrations.clear();
        declaredPipelines.clear();
        createdConfigurations.clear();
        restores.clear();
        if (first != null) {
            throw first;
        }
    }

    // ---------------------------------------------------------------- services

    /**
     * Waits for a service.
     *
     * @param type the service's type
     * @param <T>  the type
     * @return the service with the highest ranking
     * @throws AssertionError when none appears within {@link #DEADLINE}
     */
    protected <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = tracker(type);
        try {
            T service = tracker.waitForService(DEADLINE.toMillis());
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service within " + DEADLINE);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        }
    }

    /**
     * @param type the service's type
     * @param <T>  the type
     * @return an open tracker of that type, kept until the end of the test (closing it would release service
     *         objects that the test still uses, e.g. Configuration Admin's per-bundle instance)
     */
    @SuppressWarnings("unchecked")
    private <T> ServiceTracker<T, T> tracker(Class<T> type) {
        synchronized (trackers) {
            return (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
                ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, type, null);
                tracker.open();
                return tracker;
            });
        }
    }

    /**
     * @param type the service's type
     * @param <T>  the type
     * @return the service with the highest ranking now, or {@code null}
     */
    protected <T> T serviceNow(Class<T> type) {
        return tracker(type).getService();
    }

    /** @return the runtime's {@link Jobs} service, waiting for it */
    protected Jobs jobs() {
        return service(Jobs.class);
    }

    /** @return Configuration Admin, waiting for it */
    protected ConfigurationAdmin configAdmin() {
        return service(ConfigurationAdmin.class);
    }

    /**
     * Registers a service from the test bundle; it is unregistered after the test.
     *
     * @param type       the service interface
     * @param service    the service object
     * @param properties its properties
     * @param <T>        the type
     * @return the registration, for a test that unregisters it itself
     */
    protected <T> ServiceRegistration<T> register(Class<T> type, T service, Map<String, ?> properties) {
        ServiceRegistration<T> r = bundleContext.registerService(type, service, dictionary(properties));
        registrations.add(r);
        return r;
    }

    /**
     * Registers a {@link JobHandler} for the given job names ({@code *} for any), with ranking 0.
     *
     * @param handler  the handler
     * @param jobNames the job names it executes
     * @return the registration
     */
    protected ServiceRegistration<JobHandler> registerHandler(JobHandler handler, String... jobNames) {
        return registerHandler(handler, 0, jobNames);
    }

    /**
     * Registers a {@link JobHandler} for the given job names with a ranking.
     *
     * @param handler  the handler
     * @param ranking  its {@code service.ranking}
     * @param jobNames the job names it executes
     * @return the registration
     */
    protected ServiceRegistration<JobHandler> registerHandler(JobHandler handler, int ranking, String... jobNames) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(JobHandler.JOB_NAME, jobNames.length == 1 ? jobNames[0] : jobNames);
        props.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<JobHandler> r = bundleContext.registerService(JobHandler.class, handler, props);
        registrations.add(r);
        return r;
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Creates a {@code jobs.pipeline} factory configuration (named after the pipeline, as FileInstall's
     * {@code jobs.pipeline-<name>.cfg} would be); it is deleted after the test.
     *
     * @param name    the pipeline's name, also put in the {@code name} property
     * @param options the pipeline's other options ({@code driver}, ...)
     * @return the configuration, for updates
     */
    protected org.osgi.service.cm.Configuration createPipelineConfig(String name, Map<String, ?> options) {
        Hashtable<String, Object> props = dictionary(options);
        props.put("name", name);
        return createFactoryConfig(PIPELINE_FACTORY_PID, name, props);
    }

    /**
     * Creates a named factory configuration, visible to every bundle; it is deleted after the test.
     *
     * @param factoryPid the factory PID
     * @param name       the configuration's name (its PID is {@code factoryPid~name})
     * @param properties its properties
     * @return the configuration
     */
    protected org.osgi.service.cm.Configuration createFactoryConfig(String factoryPid, String name,
            Map<String, ?> properties) {
        try {
            org.osgi.service.cm.Configuration c = configAdmin().getFactoryConfiguration(factoryPid, name, "?");
            createdConfigurations.add(c);
            c.update(dictionary(properties));
            return c;
        } catch (IOException e) {
            throw new AssertionError("cannot create configuration " + factoryPid + "~" + name, e);
        }
    }

    /**
     * Replaces the properties of a configuration.
     *
     * @param c          the configuration
     * @param properties its new properties
     */
    protected void updateConfig(org.osgi.service.cm.Configuration c, Map<String, ?> properties) {
        try {
            c.update(dictionary(properties));
        } catch (IOException e) {
            throw new AssertionError("cannot update configuration " + c.getPid(), e);
        }
    }

    /**
     * Deletes a configuration.
     *
     * @param c the configuration
     */
    protected void deleteConfig(org.osgi.service.cm.Configuration c) {
        try {
            c.delete();
        } catch (IOException e) {
            throw new AssertionError("cannot delete configuration " + c.getPid(), e);
        }
    }

    /**
     * Sets the properties of a singleton configuration (such as {@value #JOBS_PID}); after the test it gets its
     * previous properties back, or is deleted when it had none.
     *
     * @param pid        the PID
     * @param properties the new properties
     */
    protected void setConfig(String pid, Map<String, ?> properties) {
        try {
            org.osgi.service.cm.Configuration c = configAdmin().getConfiguration(pid, "?");
            Dictionary<String, Object> previous = c.getProperties();
            restores.add(() -> {
                try {
                    if (previous == null) {
                        c.delete();
                    } else {
                        c.update(previous);
                    }
                } catch (IOException | IllegalStateException e) {
                    throw new AssertionError("cannot restore configuration " + pid, e);
                }
            });
            c.update(dictionary(properties));
        } catch (IOException e) {
            throw new AssertionError("cannot set configuration " + pid, e);
        }
    }

    // ---------------------------------------------------------------- pipelines

    /**
     * Declares a pipeline through {@link Jobs#declare}; it is destroyed after the test if it still exists.
     *
     * @param options the options, {@code name} and {@code driver} included
     */
    protected void declare(Map<String, String> options) {
        String name = options.get("name");
        if (name != null) {
            destroyAfterTest(name);
        }
        jobs().declare(options);
    }

    /**
     * Destroys a pipeline after the test if it still exists (for pipelines made otherwise than by
     * {@link #declare}, e.g. through a Gogo command).
     *
     * @param pipeline the pipeline's name
     */
    protected void destroyAfterTest(String pipeline) {
        declaredPipelines.add(pipeline);
    }

    /**
     * @param name       a pipeline name
     * @param keyValues  further options as alternating keys and values
     * @return the options of a memory pipeline: {@code name}, {@code driver=memory} and the given ones
     */
    protected static Map<String, String> memoryPipeline(String name, String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("options come as key, value pairs");
        }
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "memory");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    /**
     * Pushes a job with a payload and waits until the driver stored it.
     *
     * @param pipeline the pipeline
     * @param jobName  the job's name
     * @param payload  its payload
     * @return the job's id
     */
    protected String push(String pipeline, String jobName, String payload) {
        Message m = Message.builder(jobName).pipeline(pipeline).payload(payload).build();
        jobs().push(m);
        return m.id();
    }

    /**
     * Waits until a pipeline's state satisfies a condition.
     *
     * @param pipeline  the pipeline
     * @param what      the condition, for the failure message
     * @param condition the condition
     * @return the state that satisfied it
     */
    protected State awaitState(String pipeline, String what, Predicate<State> condition) {
        Jobs jobs = jobs();
        return awaitValue("pipeline '" + pipeline + "': " + what, () -> jobs.stat(pipeline), condition);
    }

    /**
     * Waits until a pipeline's counters satisfy a condition.
     *
     * @param pipeline  the pipeline
     * @param what      the condition, for the failure message
     * @param condition the condition
     * @return the counters that satisfied it
     */
    protected PipelineStats awaitStats(String pipeline, String what, Predicate<PipelineStats> condition) {
        Jobs jobs = jobs();
        return awaitValue("pipeline '" + pipeline + "': " + what, () -> jobs.stats(pipeline), condition);
    }

    // ---------------------------------------------------------------- bundles

    /**
     * @param symbolicName a bundle's symbolic name
     * @return the bundle
     * @throws AssertionError when no installed bundle has that name (the message lists those installed)
     */
    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName + " among "
                + Arrays.stream(bundleContext.getBundles()).map(Bundle::getSymbolicName)
                        .collect(Collectors.joining(", ")));
    }

    /**
     * Installs a bundle built by the test (see {@link TestBundleBuilder}); it is uninstalled after the test.
     *
     * @param location its location
     * @param jar      its bytes
     * @return the installed bundle, not started
     */
    protected Bundle install(String location, byte[] jar) {
        try {
            Bundle b = bundleContext.installBundle(location, new java.io.ByteArrayInputStream(jar));
            installedBundles.add(b);
            return b;
        } catch (org.osgi.framework.BundleException e) {
            throw new AssertionError("cannot install " + location, e);
        }
    }

    /**
     * @param state a {@link Bundle} state
     * @return its name, for messages
     */
    protected static String stateName(int state) {
        switch (state) {
        case Bundle.UNINSTALLED:
            return "UNINSTALLED";
        case Bundle.INSTALLED:
            return "INSTALLED";
        case Bundle.RESOLVED:
            return "RESOLVED";
        case Bundle.STARTING:
            return "STARTING";
        case Bundle.STOPPING:
            return "STOPPING";
        case Bundle.ACTIVE:
            return "ACTIVE";
        default:
            return "state " + state;
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until a condition holds.
     *
     * @param what      the condition, for the failure message
     * @param condition the condition
     * @throws AssertionError when it does not hold within {@link #DEADLINE}
     */
    protected static void await(String what, BooleanSupplier condition) {
        await(what, DEADLINE, condition);
    }

    /**
     * Waits until a condition holds.
     *
     * @param what      the condition, for the failure message
     * @param deadline  how long to wait
     * @param condition the condition
     * @throws AssertionError when it does not hold in time
     */
    protected static void await(String what, Duration deadline, BooleanSupplier condition) {
        awaitValue(what, deadline, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Waits until a value satisfies a condition; the failure message shows the last value seen.
     *
     * @param what      the condition, for the failure message
     * @param value     computes the value (exceptions count as "not yet" and are shown on failure)
     * @param condition the condition
     * @param <T>       the value's type
     * @return the first value that satisfied the condition
     */
    protected static <T> T awaitValue(String what, Supplier<T> value, Predicate<T> condition) {
        return awaitValue(what, DEADLINE, value, condition);
    }

    /**
     * Waits until a value satisfies a condition; the failure message shows the last value seen.
     *
     * @param what      the condition, for the failure message
     * @param deadline  how long to wait
     * @param value     computes the value (exceptions count as "not yet" and are shown on failure)
     * @param condition the condition
     * @param <T>       the value's type
     * @return the first value that satisfied the condition
     */
    public static <T> T awaitValue(String what, Duration deadline, Supplier<T> value, Predicate<T> condition) {
        long end = System.nanoTime() + deadline.toNanos();
        Object last = null;
        while (true) {
            try {
                T v = value.get();
                if (condition.test(v)) {
                    return v;
                }
                last = v;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError failure = new AssertionError("not within " + deadline + ": " + what + "; last seen: "
                        + last);
                if (last instanceof Throwable) {
                    failure.initCause((Throwable) last);
                }
                throw failure;
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Asserts that a condition keeps holding for a while (e.g. "nothing is processed while paused"). This is a
     * lower bound on time only: a slow machine can make it pass longer, never fail wrongly.
     *
     * @param what      the condition, for the failure message
     * @param duration  how long it must hold
     * @param condition the condition
     * @throws AssertionError as soon as it does not hold
     */
    protected static void assertHoldsFor(String what, Duration duration, BooleanSupplier condition) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding before " + duration + " passed: " + what);
            }
            sleep(POLL_MILLIS);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("stopped holding at the end of " + duration + ": " + what);
        }
    }

    /**
     * @param run  something that must fail
     * @param type the exception type expected
     * @param <E>  the type
     * @return the exception
     * @throws AssertionError when it did not fail, or failed otherwise
     */
    protected static <E extends Throwable> E expectThrows(Class<E> type, ThrowingRunnable run) {
        try {
            run.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("expected " + type.getName() + " but got " + t, t);
        }
        throw new AssertionError("expected " + type.getName() + " but nothing was thrown");
    }

    /** Code that may throw anything, for {@link #expectThrows}. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /**
         * Runs.
         *
         * @throws Throwable anything
         */
        void run() throws Throwable;
    }

    // ---------------------------------------------------------------- utilities

    /**
     * @param properties a map
     * @return the same as a dictionary, as the OSGi APIs take it
     */
    protected static Hashtable<String, Object> dictionary(Map<String, ?> properties) {
        Hashtable<String, Object> d = new Hashtable<>();
        properties.forEach(d::put);
        return d;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
