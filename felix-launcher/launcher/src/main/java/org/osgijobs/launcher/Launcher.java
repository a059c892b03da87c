package org.osgijobs.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the framework of one distribution, waits for the job runtime to be ready, then either runs commands
 * and stops, or runs until the framework stops (console exit, {@code launcher:shutdown}, Ctrl-C, SIGTERM).
 */
final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    /** Exit status: every command succeeded, or the runtime ran until it was stopped. */
    static final int OK = 0;
    /** Exit status: a command failed. */
    static final int COMMAND_FAILED = 1;
    /** Exit status: the command line or the configuration is wrong. */
    static final int USAGE = 2;
    /** Exit status: the framework could not start. */
    static final int START_FAILED = 3;

    /** System property set by bin/jobs: the file to create once the runtime is ready (see {@link #markReady}). */
    static final String CDS_MARKER = "jobs.cds.marker";

    /** The Gogo scopes searched, in order, for a command named without its scope. */
    static final String COMMAND_SCOPES = "jobs:launcher:felix:gogo:*";

    /** How long a pipeline may show an error at start before the runtime counts as ready anyway. */
    private static final Duration ERROR_GRACE = Duration.ofSeconds(2);

    /** The framework property of the start level to reach at start. */
    private static final String BEGINNING_START_LEVEL = "org.osgi.framework.startlevel.beginning";
    /** The start level of the platform (ConfigAdmin among it), reached before the others. */
    private static final int PLATFORM_START_LEVEL = 1;
    /** How long the bundles of the higher start levels may take to start. */
    private static final Duration START_LEVEL_WAIT = Duration.ofSeconds(60);

    /** How long a stop waits at most for EventAdmin to deliver what was posted before it stops. */
    private static final Duration EVENT_ADMIN_DRAIN = Duration.ofSeconds(1);

    /** The start level of bundles that no {@code jobs.bundles.level.<n>} property names: drivers, handlers. */
    static final int DEFAULT_START_LEVEL = 2;

    /** Launcher setting: how long a stop may take before the launcher gives up waiting, in seconds. */
    static final String SHUTDOWN_TIMEOUT = "jobs.shutdown.timeout";
    /** Launcher setting: how long to wait for the configured pipelines at start, in seconds. */
    static final String READY_TIMEOUT = "jobs.ready.timeout";

    private final Layout layout;
    private final LaunchOptions options;
    private final Map<String, String> settings;
    private final ProcessStreams streams;
    private final PrintStream out;
    private final boolean console;
    private final ConsoleResultGuard.Hold consoleLog;
    private Framework framework;
    private GracefulStop stop;
    private CountDownLatch startLevelReached = new CountDownLatch(0);
    private int beginningLevel;

    /**
     * @param console    whether Gogo's interactive console runs (it owns Ctrl-C then)
     * @param consoleLog the log's output to the console, held while the console prints a command's result
     */
    Launcher(Layout layout, LaunchOptions options, Map<String, String> frameworkProperties, ProcessStreams streams,
            boolean console, ConsoleResultGuard.Hold consoleLog) {
        this.layout = layout;
        this.options = options;
        this.settings = frameworkProperties;
        this.streams = streams;
        this.out = streams.out();
        this.console = console;
        this.consoleLog = consoleLog;
    }

    int run() {
        try {
            framework = start();
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.error("the framework could not start: {}", e.toString());
            return START_FAILED;
        }
        stop = new GracefulStop(framework, Duration.ofSeconds(longSetting(SHUTDOWN_TIMEOUT, 90)));
        stop.onSignals(!console);
        // any other exit of the JVM (SIGHUP, a System.exit in a bundle) still stops the runtime gracefully
        Runtime.getRuntime().addShutdownHook(new Thread(stop::stopAndWait, "jobs-shutdown"));
        try (JobsProbe probe = new JobsProbe(framework.getBundleContext())) {
            registerCommands(probe);
            if (console) {
                ConsoleResultGuard.register(framework.getBundleContext(), consoleLog);
            }
            if (options.runsCommands()) {
                awaitReady(probe);
                awaitStartLevel(); // the commands run with every bundle of conf/'s levels up (the HTTP API too)
                int status = runCommands();
                stop.stopAndWait();
                return status;
            }
            Thread readiness = new Thread(() -> awaitReady(probe), "jobs-readiness");
            readiness.setDaemon(true);
            readiness.start();
            stop.awaitRequest();
            return stop.stopAndWait() ? OK : COMMAND_FAILED;
        } catch (Exception e) {
            LOG.error("the launcher failed: {}", e.toString(), e);
            stop.stopAndWait();
            return START_FAILED;
        }
    }

    private Framework start() throws BundleException, IOException {
        Map<String, Object> config = new HashMap<>(settings);
        int beginning = (int) longSetting(BEGINNING_START_LEVEL, 1);
        config.put(BEGINNING_START_LEVEL, Integer.toString(PLATFORM_START_LEVEL));
        config.put("felix.log.logger", new FrameworkLog());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        @SuppressWarnings({ "unchecked", "rawtypes" })
        Framework created = factory.newFramework((Map) config);
        created.init();
        created.getBundleContext().addFrameworkListener(Launcher::logFrameworkEvent);
        created.getBundleContext().addBundleListener(new EventAdminDrain(EVENT_ADMIN_DRAIN));
        StartLevels levels = StartLevels.of(settings, DEFAULT_START_LEVEL);
        int failures = new BundleProvisioner(created.getBundleContext(), layout.bundles(), levels).provision();
        if (failures > 0) {
            LOG.warn("{} bundle(s) of {} could not be provisioned; starting without them", failures,
                    layout.bundles());
        }
        // up to the platform's level first (ConfigAdmin): configurations of pipeline files deleted while stopped
        // are removed before FileInstall and the runtime start and could build a pipeline from them
        created.start();
        StaleConfigurations.remove(created.getBundleContext());
        // the API's token must be in place before jobs-http answers its first request
        SeededConfiguration.seed(created.getBundleContext(), "jobs.http", layout.conf().resolve(HttpToken.FILE));
        // not waited for here: readiness is the pipelines', and the bundles above the runtime's level (the HTTP
        // API's Jetty) start meanwhile instead of holding it up
        startLevelReached = raiseStartLevel(created, beginning);
        beginningLevel = beginning;
        return created;
    }

    /** Raises the framework's start level; the latch opens when the bundles of the levels up to it are started. */
    private static CountDownLatch raiseStartLevel(Framework framework, int level) {
        FrameworkStartLevel startLevel = framework.adapt(FrameworkStartLevel.class);
        CountDownLatch reached = new CountDownLatch(1);
        if (startLevel.getStartLevel() >= level) {
            reached.countDown();
            return reached;
        }
        startLevel.setStartLevel(level, event -> reached.countDown());
        return reached;
    }

    /** Waits until the bundles of the beginning start level are started (at most {@link #START_LEVEL_WAIT}). */
    private void awaitStartLevel() {
        try {
            if (!startLevelReached.await(START_LEVEL_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("start level {} not reached within {} s; going on", beginningLevel,
                        START_LEVEL_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void logFrameworkEvent(FrameworkEvent event) {
        Bundle bundle = event.getBundle();
        String who = bundle == null ? "framework" : bundle.getSymbolicName();
        if (event.getType() == FrameworkEvent.ERROR) {
            LOG.error("{}: {}", who, message(event.getThrowable()));
        } else if (event.getType() == FrameworkEvent.WARNING) {
            LOG.warn("{}: {}", who, message(event.getThrowable()));
        }
    }

    private static String message(Throwable t) {
        return t == null ? "(no detail)" : t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private void registerCommands(JobsProbe probe) {
        LauncherCommands commands = new LauncherCommands(probe::backlog, probe::pipelines,
                new ConsoleAwareStop(framework.getBundleContext(), stop::request), System::nanoTime);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", LauncherCommands.SCOPE);
        properties.put("osgi.command.function", LauncherCommands.FUNCTIONS);
        framework.getBundleContext().registerService(Object.class.getName(), commands, properties);
    }

    /**
     * Waits until the runtime shows every pipeline of {@code conf/}, and logs how long the start took since the
     * JVM process started.
     */
    private void awaitReady(JobsProbe probe) {
        Duration timeout = Duration.ofSeconds(longSetting(READY_TIMEOUT, 30));
        Set<String> expected;
        try {
            expected = PipelineFiles.names(layout.conf());
        } catch (IOException e) {
            LOG.warn("cannot read the pipelines of {}: {}", layout.conf(), e.toString());
            expected = Set.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long allPresentSince = 0;
        Optional<List<JobsProbe.PipelineState>> states = Optional.empty();
        while (System.nanoTime() - deadline < 0 && isRunning()) {
            try {
                states = probe.pipelines();
            } catch (RuntimeException e) {
                states = Optional.empty();
            }
            if (states.isPresent() && names(states.get()).containsAll(expected)) {
                // a pipeline shows an error until its driver is attached: give that a moment, but a lasting
                // error (an unreachable broker, a missing driver) must not hold the start up
                long now = System.nanoTime();
                allPresentSince = allPresentSince == 0 ? now : allPresentSince;
                boolean settled = states.get().stream().allMatch(s -> s.error().isEmpty());
                if (settled || now - allPresentSince > ERROR_GRACE.toNanos()) {
                    long millis = Duration.between(processStart(), Instant.now()).toMillis();
                    LOG.info("OSGi Jobs ready in {} ms since launch; pipelines: {}", millis,
                            states.get().isEmpty() ? "none" : states.get().stream().map(Object::toString)
                                    .collect(Collectors.joining(", ")));
                    markReady();
                    return;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (isRunning()) {
            Set<String> missing = new TreeSet<>(expected);
            states.ifPresent(s -> missing.removeAll(names(s)));
            LOG.warn("the jobs runtime is not ready after {} s: {}", timeout.toSeconds(), states.isEmpty()
                    ? "no Jobs service (is jobs-core in bundle/?)" : "pipelines not there yet: " + missing);
        }
    }

    /**
     * Tells bin/jobs that this run reached "ready", so the class data sharing archive the JVM writes when it
     * exits holds the classes of a whole start and is worth keeping (a run that failed early, or printed its help,
     * would leave a poor one).
     */
    private static void markReady() {
        String marker = System.getProperty(CDS_MARKER);
        if (marker != null && !marker.isBlank()) {
            try {
                Files.writeString(Path.of(marker), "ready\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.debug("cannot write {}: {}", marker, e.toString());
            }
        }
    }

    private static Set<String> names(List<JobsProbe.PipelineState> states) {
        return states.stream().map(JobsProbe.PipelineState::name).collect(Collectors.toSet());
    }

    /**
     * When the process started: the JVM start included. {@code run.sh} may build first and then exec the JVM in the
     * same process; the JVM's own start time is used when the process is older than that by more than a moment.
     */
    private static Instant processStart() {
        return LaunchInstant.of(System.getProperty(LaunchInstant.PROPERTY));
    }

    private int runCommands() throws Exception {
        // the process's streams, not System's: those are Gogo's by now and would route the session to itself
        try (GogoSession session = GogoSession.open(framework.getBundleContext(), Duration.ofSeconds(30),
                streams.in(), streams.out(), streams.err())) {
            // as in the console's profile: 'push' means 'jobs:push', 'drain' means 'launcher:drain'
            session.execute("SCOPE = '" + COMMAND_SCOPES + "'");
            for (Path script : options.scripts()) {
                String text = Files.readString(script, StandardCharsets.UTF_8);
                for (ScriptReader.Statement statement : ScriptReader.statements(script.toString(), text)) {
                    if (!runOne(session, script + ":" + statement.line(), statement.text())) {
                        return COMMAND_FAILED;
                    }
                }
            }
            for (String command : options.commands()) {
                if (!runOne(session, "-c", command)) {
                    return COMMAND_FAILED;
                }
            }
            return OK;
        }
    }

    private boolean runOne(GogoSession session, String where, String statement) {
        out.println("> " + statement);
        try {
            Object result = session.execute(statement);
            if (result != null) {
                out.println(session.format(result));
            }
            out.flush();
            return true;
        } catch (Exception e) {
            out.flush();
            if (isOutOfMemory(e)) {
                heapExhausted(where, statement, e);
            } else if (isRunning()) {
                LOG.error("{}: '{}' failed: {}", where, statement, FailureMessage.of(e));
                LOG.debug("{}: the failure of '{}'", where, statement, e);
            } else {
                LOG.warn("{}: '{}' cut short: the runtime is stopping", where, statement);
            }
            return false;
        } catch (OutOfMemoryError e) {
            out.flush();
            heapExhausted(where, statement, e);
            return false;
        }
    }

    /**
     * The statement's own buffers (a Gogo loop keeps each iteration's until it ends) are garbage once it has failed:
     * the script fails like any command, with advice, and the runtime stops in order, not torn down.
     */
    private static void heapExhausted(String where, String statement, Throwable e) {
        LOG.error("{}: '{}' failed: the heap is exhausted ({}); push many jobs with 'push ... count=N', not a Gogo "
                + "loop, or give the runtime more heap (JAVA_OPTS=-Xmx...)", where, statement, FailureMessage.of(e));
    }

    private static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private boolean isRunning() {
        return framework != null && (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }

    private long longSetting(String key, long defaultValue) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("{} must be a number of seconds, got '{}'; using {}", key, value, defaultValue);
            return defaultValue;
        }
    }
}
