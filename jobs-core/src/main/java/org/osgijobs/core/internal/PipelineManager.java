package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pipelines by name and decides what happens to them when configurations, declarations and driver
 * constructors come and go; what the operator declared and paused is kept across restarts ({@link OperatorState}). Its decisions are quick and made under one short lock (no driver call, no wait); the
 * slow part of each decision is a transition queued on the pipeline's {@link Lane}. Framework callbacks
 * (ConfigAdmin, DS bind) therefore return at once, except a driver's departure, which waits for the pipelines
 * that used it to stop: after an unbind returns, the departing bundle's drivers must not be used any more.
 */
final class PipelineManager implements PipelineHost {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineManager.class);
    /** A caller waits this much longer than the transition's own deadline, so that its reason reaches it. */
    static final long GRACE_MILLIS = 1000;

    private final Object lock = new Object();
    private final Map<String, ManagedPipeline> pipelines = new ConcurrentHashMap<>();
    /**
     * Pipelines gone from {@link #pipelines} (destroyed, renamed, the runtime stopping) whose stop is still under
     * way: their jobs at workers or still in the shared queue must find them, to be settled by their own policy
     * rather than dropped as strangers.
     */
    private final Map<String, ManagedPipeline> retiring = new ConcurrentHashMap<>();
    // guarded by lock
    private final Map<String, String> pipelineOfConfig = new HashMap<>();
    /** Guarded by lock: the file of each configuration that FileInstall made from one, by PID. */
    private final Map<String, String> fileOfConfig = new HashMap<>();
    private final DriverRegistry drivers = new DriverRegistry();
    /** Configurations that name a pipeline another one has, by PID: the first in line takes over when it goes. */
    private final Map<String, Shadowed> shadowed = new java.util.LinkedHashMap<>();
    private boolean active;

    /** A configuration waiting for its pipeline's name. */
    private record Shadowed(Pipeline definition, String problem) {
    }
    private volatile OperatorState operatorState = OperatorState.none();

    private final Supplier<RuntimeSettings> settings;
    private final PriorityJobQueue queue;
    private final Executor lifecycle;
    private final Executor callbacks;
    private final Timers timers;
    private final EventPoster events;

    /** Runs a task later. */
    interface Timers {
        void schedule(Runnable task, long delayMillis);
    }

    /** Posts an event. */
    interface EventPoster {
        void post(String topic, Map<String, Object> props);
    }

    PipelineManager(Supplier<RuntimeSettings> settings, PriorityJobQueue queue, Executor lifecycle, Executor callbacks,
            Timers timers, EventPoster events) {
        this.settings = settings;
        this.queue = queue;
        this.lifecycle = lifecycle;
        this.callbacks = callbacks;
        this.timers = timers;
        this.events = events;
    }

    // ---- PipelineHost ----------------------------------------------------------------------------------------

    @Override
    public int timeoutSeconds() {
        return settings.get().timeout();
    }

    @Override
    public long driverWaitNanos() {
        return TimeUnit.SECONDS.toNanos(settings.get().driverWait());
    }

    @Override
    public Optional<DriverRegistry.Entry> constructor(String driverName) {
        synchronized (lock) {
            return drivers.active(driverName);
        }
    }

    @Override
    public String registeredDrivers() {
        synchronized (lock) {
            return String.join(", ", drivers.names());
        }
    }

    @Override
    public PriorityJobQueue queue() {
        return queue;
    }

    @Override
    public Executor callbacks() {
        return callbacks;
    }

    @Override
    public void later(Runnable task, long delayMillis) {
        timers.schedule(task, delayMillis);
    }

    @Override
    public void post(String topic, Map<String, Object> props) {
        events.post(topic, props);
    }

    // ---- lookups ---------------------------------------------------------------------------------------------

    ManagedPipeline get(String name) {
        return name == null ? null : pipelines.get(name);
    }

    /** @return the pipeline a job taken from the queue belongs to: a live one, else one still stopping */
    ManagedPipeline ofJob(String name) {
        if (name == null) {
            return null;
        }
        ManagedPipeline live = pipelines.get(name);
        return live != null ? live : retiring.get(name);
    }

    ManagedPipeline existing(String name) {
        ManagedPipeline p = get(name);
        if (p == null) {
            throw new JobsException(Kind.UNKNOWN_PIPELINE, "unknown pipeline '" + name + "'");
        }
        return p;
    }

    List<ManagedPipeline> all() {
        List<ManagedPipeline> all = new ArrayList<>(pipelines.values());
        all.sort(Comparator.comparing(p -> p.name));
        return all;
    }

    // ---- runtime lifecycle -----------------------------------------------------------------------------------

    /**
     * Starts taking configurations and declarations, and brings back what the operator declared before a restart
     * (their drivers may come later: they wait like configured pipelines).
     */
    void activate(OperatorState state) {
        operatorState = state;
        List<ManagedPipeline> restored = new ArrayList<>();
        synchronized (lock) {
            active = true;
            state.declared().forEach((name, options) -> {
                try {
                    Pipeline definition = Pipeline.of(options);
                    PipelineOptions parsed = PipelineOptions.of(definition);
                    // it was declared paused or resumed since: it comes back as it was
                    restored.add(create(name, ManagedPipeline.Origin.DECLARED, null, definition, parsed, null,
                            !state.isPaused(name)));
                } catch (JobsException e) {
                    LOG.error("declared pipeline '{}' not restored: {}", name, e.getMessage());
                }
            });
        }
        for (ManagedPipeline p : restored) {
            LOG.info("pipeline '{}' restored as declared ({} driver{})", p.name, p.definition().driver(),
                    p.consuming() ? ", consuming" : ", paused");
            p.lane.run(p::start);
        }
    }

    /** Pauses a pipeline; the pause is kept across restarts. */
    CompletableFuture<Void> pause(ManagedPipeline p) {
        operatorState.paused(p.name);
        return p.lane.run(p::pause);
    }

    /** Resumes a pipeline; a pause kept from before is forgotten. */
    CompletableFuture<Void> resume(ManagedPipeline p) {
        operatorState.resumed(p.name);
        return p.lane.run(p::resume);
    }

    /** Stops every pipeline in parallel within one {@code timeout}; returns when all are stopped or it passed. */
    void shutdown() {
        List<ManagedPipeline> stopping;
        synchronized (lock) {
            active = false;
            stopping = all();
            stopping.forEach(this::retire);
            pipelineOfConfig.clear();
        }
        long deadline = deadline();
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (ManagedPipeline p : stopping) {
            stops.add(retireAfter(p, p.lane.submit(() -> p.destroy(deadline, "runtime stopped"))).thenAccept(held -> {
                if (!held.isEmpty()) {
                    LOG.warn("pipeline '{}': {} queued jobs were still held when the runtime stopped", p.name,
                            held.size());
                }
            }));
        }
        awaitAll(stops, deadline, "runtime stop");
    }

    // ---- drivers ---------------------------------------------------------------------------------------------

    /** A constructor arrived: pipelines waiting for its kind start (on their lanes). */
    void constructorAdded(String name, Constructor constructor, long serviceId) {
        List<ManagedPipeline> waiting = List.of();
        synchronized (lock) {
            Optional<DriverRegistry.Entry> before = drivers.add(new DriverRegistry.Entry(name, constructor, serviceId));
            if (before.isPresent()) {
                LOG.error("two drivers claim driver.name={}: service {} serves, service {} waits as stand-by", name,
                        before.get().serviceId(), serviceId);
                return;
            }
            if (active) {
                waiting = pipelinesOf(name);
            }
        }
        LOG.info("driver {} available", name);
        for (ManagedPipeline p : waiting) {
            p.lane.run(p::constructorArrived);
        }
        post("driver/ADDED", Map.of("driver", name));
    }

    /**
     * A constructor left: the pipelines it served stop together (running jobs share one {@code timeout}), and
     * start again with the stand-by if there is one. Waits for the stops: the departing drivers must not be used
     * once this returns.
     */
    void constructorRemoved(Constructor constructor) {
        String name;
        List<ManagedPipeline> affected;
        boolean successor;
        synchronized (lock) {
            Optional<DriverRegistry.Entry> removed = drivers.remove(constructor);
            if (removed.isEmpty()) {
                return;
            }
            name = removed.get().name();
            Optional<DriverRegistry.Entry> next = drivers.active(name);
            boolean wasServing = next.isEmpty() || next.get().serviceId() > removed.get().serviceId();
            if (!wasServing) {
                return;
            }
            successor = next.isPresent();
            affected = active ? pipelinesOf(name) : List.of();
        }
        LOG.info("driver {} {}", name, successor ? "replaced by its stand-by" : "unavailable");
        long deadline = deadline();
        String reason = "driver " + name + " unavailable";
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (ManagedPipeline p : affected) {
            stops.add(p.lane.run(() -> {
                p.stopDriver(deadline, reason);
                int held = p.heldCount();
                if (held > 0) {
                    LOG.info("pipeline '{}': {} jobs held until driver {} returns", p.name, held, name);
                }
                if (!successor) {
                    post("pipeline/UNAVAILABLE", Map.of("pipeline", p.name, "driver", name, "held", held));
                }
            }));
            if (successor) {
                p.lane.run(p::start);
            }
        }
        awaitAll(stops, deadline, "departure of driver " + name);
        post("driver/REMOVED", Map.of("driver", name));
    }

    // ---- configured pipelines --------------------------------------------------------------------------------

    /**
     * A configuration was created or changed. Bad options do not throw: the pipeline is INVALID and shows why.
     *
     * @param file the file the configuration comes from (FileInstall), or {@code null}
     */
    void configure(String pid, Pipeline definition, String configurationProblem, String file) {
        String name = definition.name();
        PipelineOptions parsed;
        String problem = configurationProblem;
        try {
            parsed = PipelineOptions.of(definition);
        } catch (JobsException e) {
            parsed = PipelineOptions.FALLBACK;
            problem = problem != null ? problem : e.getMessage();
        }
        if (problem != null) {
            parsed = PipelineOptions.FALLBACK;
            LOG.error("configuration {}: {}", pid, problem);
        }
        PipelineOptions options = parsed;
        String invalid = problem;
        synchronized (lock) {
            if (!active) {
                return;
            }
            if (file != null) {
                fileOfConfig.put(pid, file);
            } else {
                fileOfConfig.remove(pid);
            }
            String previousName = pipelineOfConfig.get(pid);
            ManagedPipeline existing = previousName == null ? null : pipelines.get(previousName);
            ManagedPipeline clash = pipelines.get(name);
            if (clash != null && clash != existing) {
                // it waits: when the pipeline that has the name goes, this configuration takes it over
                shadowed.put(pid, new Shadowed(definition, configurationProblem));
                LOG.error("configuration {}: pipeline name '{}' is already used by {}; this configuration waits "
                        + "until that one is gone", pid, name,
                        clash.configKey != null ? "configuration " + clash.configKey : "a declared pipeline");
                return;
            }
            shadowed.remove(pid);
            if (existing != null && existing.name.equals(name)) {
                existing.lane.run(() -> existing.redefine(definition, options, invalid, deadline()));
                LOG.info("pipeline '{}' reconfigured", name);
                post("pipeline/UPDATED", Map.of("pipeline", name));
                return;
            }
            boolean consume = existing != null && !definition.has("consume") ? existing.consuming()
                    : consumesOnStart(definition, options, true);
            ManagedPipeline created = create(name, ManagedPipeline.Origin.CONFIGURED, pid, definition, options,
                    invalid, consume);
            pipelineOfConfig.put(pid, name);
            if (existing != null) {
                // a rename: the old pipeline stops, and its held jobs go to the new one before it starts
                retire(existing);
                CompletableFuture<List<Message>> retired = retireAfter(existing, existing.lane
                        .submit(() -> existing.destroy(deadline(), "renamed to '" + name + "'")));
                created.lane.run(() -> {
                    created.adopt(retired.exceptionally(e -> List.of()).join());
                    created.start();
                    announce(created);
                });
                if (operatorState.isPaused(existing.name)) {
                    operatorState.paused(name);
                }
                operatorState.destroyed(existing.name);
                LOG.info("pipeline '{}' renamed to '{}'", existing.name, name);
            } else if (invalid == null) {
                created.lane.run(() -> {
                    created.start();
                    announce(created);
                });
            } else {
                created.lane.run(() -> announce(created));
            }
        }
        post("pipeline/CREATED", Map.of("pipeline", name));
    }

    /** A configuration was deleted: its pipeline is destroyed. */
    void unconfigure(String pid) {
        ManagedPipeline p;
        Map.Entry<String, Shadowed> heir;
        String heirFile;
        synchronized (lock) {
            shadowed.remove(pid);
            fileOfConfig.remove(pid);
            String name = pipelineOfConfig.remove(pid);
            p = name == null ? null : pipelines.get(name);
            if (p == null || !pid.equals(p.configKey)) {
                return;
            }
            retire(p);
            heir = shadowed.entrySet().stream().filter(e -> e.getValue().definition().name().equals(p.name))
                    .findFirst().orElse(null);
            heirFile = heir == null ? null : fileOfConfig.get(heir.getKey());
        }
        CompletableFuture<Void> gone = destroyLater(p, "configuration deleted");
        if (heir != null) {
            // the configuration that waited for the name takes it once the old pipeline is gone
            gone.whenComplete((ok, failure) -> configure(heir.getKey(), heir.getValue().definition(),
                    heir.getValue().problem(), heirFile));
        }
    }

    // ---- the operator's calls --------------------------------------------------------------------------------

    /**
     * Declares a pipeline and starts its driver.
     *
     * @return the start transition, done when the driver serves the pipeline (or refused it)
     */
    CompletableFuture<ManagedPipeline> declare(Pipeline definition) {
        PipelineOptions options = PipelineOptions.of(definition);
        String name = definition.name();
        ManagedPipeline created;
        synchronized (lock) {
            if (!active) {
                throw new JobsException(Kind.UNAVAILABLE, "declare '" + name + "': the runtime is stopping");
            }
            if (pipelines.containsKey(name)) {
                throw new JobsException(Kind.BAD_INPUT, "pipeline '" + name + "' already exists");
            }
            if (drivers.active(definition.driver()).isEmpty()) {
                throw new JobsException(Kind.BAD_INPUT, "pipeline '" + name + "': unknown driver '"
                        + definition.driver() + "' (registered: " + String.join(", ", drivers.names()) + ")");
            }
            created = create(name, ManagedPipeline.Origin.DECLARED, null, definition, options, null,
                    consumesOnStart(definition, options, false));
        }
        return created.lane.submit(() -> {
            created.start();
            if (created.phase() == PipelinePhase.INVALID) {
                forget(created);
                throw new JobsException(Kind.BAD_INPUT, created.problem());
            }
            operatorState.declared(name, definition.options());
            if (!created.consuming()) {
                operatorState.paused(name); // a declared pipeline comes back as it is: paused until resumed
            }
            return created;
        });
    }

    /**
     * Removes a pipeline at once (pushes fail as unknown) and stops it on its lane. A pipeline that comes from a
     * file is refused: the file would bring it back at the next start, so the file is what to delete.
     */
    CompletableFuture<Void> destroy(String name) {
        ManagedPipeline p;
        synchronized (lock) {
            p = existing(name);
            String file = p.configKey == null ? null : fileOfConfig.get(p.configKey);
            if (file != null) {
                throw new JobsException(Kind.BAD_INPUT, "pipeline '" + name + "' comes from the file " + file
                        + ": delete that file to destroy it (destroyed otherwise, it would come back from the file "
                        + "at the next start)");
            }
            retire(p);
            if (p.configKey != null) {
                pipelineOfConfig.remove(p.configKey);
                LOG.warn("pipeline '{}' destroyed while its configuration {} still exists", name, p.configKey);
            }
        }
        return destroyLater(p, "destroyed");
    }

    /** Logs a configured pipeline's creation with how it is once started (on its lane: may ask its driver). */
    private static void announce(ManagedPipeline p) {
        LOG.info("pipeline '{}' created from configuration ({} driver, {})", p.name, p.definition().driver(),
                p.status());
    }

    /** The runtime's {@code consume} list grew: the newly listed pipelines consume. */
    void consumeListed(List<String> names) {
        for (String name : names) {
            ManagedPipeline p = get(name);
            if (p != null && !p.consuming()) {
                p.lane.run(() -> {
                    try {
                        p.resume();
                    } catch (JobsException e) {
                        LOG.error("{}", e.getMessage());
                    }
                });
            }
        }
    }

    /** @return done when every transition queued so far on any lane has run (tests, orderly waits) */
    CompletableFuture<Void> quiesce() {
        List<CompletableFuture<?>> lanes = new ArrayList<>();
        for (ManagedPipeline p : all()) {
            lanes.add(p.lane.run(() -> { }));
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new));
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private ManagedPipeline create(String name, ManagedPipeline.Origin origin, String pid, Pipeline definition,
            PipelineOptions options, String problem, boolean consume) {
        ManagedPipeline created = new ManagedPipeline(name, origin, pid, definition, options, problem, consume, this,
                new Lane(name, lifecycle));
        pipelines.put(name, created);
        ManagedPipeline previous = retiring.get(name);
        if (previous != null) {
            // the first task of the new lane: no driver of this name starts before the previous one has stopped
            long deadline = deadline() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            created.lane.run(() -> created.awaitPredecessor(previous, deadline));
        }
        return created;
    }

    private void forget(ManagedPipeline p) {
        synchronized (lock) {
            pipelines.remove(p.name, p);
        }
    }

    /** Guarded by lock: gone for pushes and operators, still there for the jobs it has out. */
    private void retire(ManagedPipeline p) {
        pipelines.remove(p.name, p);
        retiring.put(p.name, p);
    }

    /** Forgets a retiring pipeline once its stop is over. */
    private <T> CompletableFuture<T> retireAfter(ManagedPipeline p, CompletableFuture<T> stop) {
        return stop.whenComplete((ok, failure) -> retiring.remove(p.name, p));
    }

    private CompletableFuture<Void> destroyLater(ManagedPipeline p, String why) {
        operatorState.destroyed(p.name);
        return retireAfter(p, p.lane.submit(() -> p.destroy(deadline(), why))).thenAccept(held -> {
            if (!held.isEmpty()) {
                LOG.warn("pipeline '{}' {}: {} queued jobs discarded", p.name, why, held.size());
            } else {
                LOG.info("pipeline '{}' {}", p.name, why);
            }
            post("pipeline/DESTROYED", Map.of("pipeline", p.name, "discarded", held.size(), "reason", why));
        });
    }

    /** Guarded by lock. */
    private List<ManagedPipeline> pipelinesOf(String driver) {
        return pipelines.values().stream().filter(p -> p.definition().driver().equals(driver))
                .sorted(Comparator.comparing(p -> p.name)).toList();
    }

    /** A configured pipeline consumes unless it says otherwise; any pipeline listed in {@code consume} does. */
    private boolean consumesOnStart(Pipeline definition, PipelineOptions options, boolean configured) {
        if (operatorState.isPaused(definition.name())) {
            return false; // paused by an operator before a restart
        }
        return settings.get().consume().contains(definition.name()) || (configured && options.consume());
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds());
    }

    private static void awaitAll(List<CompletableFuture<?>> transitions, long deadlineNanos, String what) {
        CompletableFuture<Void> all = CompletableFuture.allOf(transitions.toArray(CompletableFuture[]::new));
        try {
            all.get(Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS),
                    TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("{}: a pipeline failed to stop: {}", what, e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warn("{}: pipelines still stopping after the timeout; going on", what);
        }
    }
}
