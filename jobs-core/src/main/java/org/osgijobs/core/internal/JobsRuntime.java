package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.handler.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job runtime: owns the shared priority queue and the workers, keeps every pipeline (configured and
 * declared), and follows driver constructors and job handlers as they come and go.
 * <p>
 * Pipeline lifecycle changes (configuration, declare/destroy, pause/resume, driver arrival and departure) are
 * serialised by one management lock; the push and dispatch paths never take it.
 */
@Component(service = { Jobs.class, PipelineRegistry.class }, configurationPid = RuntimeSettings.PID,
        immediate = true)
@Designate(ocd = JobsRuntime.Config.class)
public final class JobsRuntime implements Jobs, PipelineRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(JobsRuntime.class);

    /** The global configuration, PID {@code jobs}; parsed by {@link RuntimeSettings}. */
    @ObjectClassDefinition(id = RuntimeSettings.PID, name = "Jobs runtime",
            description = "Global settings of the job runtime")
    public @interface Config {
        @AttributeDefinition(description = "Threads executing handlers (default: number of CPUs)")
        int num__workers() default 0;

        @AttributeDefinition(description = "Capacity of the shared priority queue")
        int pipeline__size() default 1_000_000;

        @AttributeDefinition(description = "Seconds for push confirmation and for stopping a pipeline")
        int timeout() default 60;

        @AttributeDefinition(description = "Pipelines that start consuming when they appear")
        String[] consume() default {};

        @AttributeDefinition(description = "Seconds a handler may run before it is cancelled (0: no limit)")
        int job__timeout() default 0;

        @AttributeDefinition(description = "Largest payload accepted by push, in bytes")
        int max__job__size() default 16 * 1024 * 1024;
    }

    /**
     * Drivers bound their own waits by the same {@code timeout} and fail with the better reason (no connection,
     * broker nack); the runtime waits a little longer so that their message, not a bare timeout, reaches the caller.
     */
    private static final long DRIVER_GRACE_MILLIS = 1000;

    private final ReentrantLock management = new ReentrantLock();
    private final Map<String, ManagedPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, String> pipelineOfConfig = new HashMap<>();
    private final DriverRegistry drivers = new DriverRegistry();
    private final HandlerRegistry handlers = new HandlerRegistry();

    private volatile RuntimeSettings settings = RuntimeSettings.defaults();
    private volatile EventSink events;
    private PriorityJobQueue queue;
    private Dispatcher dispatcher;
    private ScheduledExecutorService timers;
    private ExecutorService relay;
    private boolean active;

    @Activate
    void activate(Map<String, Object> props) {
        settings = readSettings(props);
        queue = new PriorityJobQueue(settings.pipelineSize());
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("jobs-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        timers = scheduler;
        relay = Executors.newSingleThreadExecutor(daemon("jobs-relay"));
        dispatcher = new Dispatcher(queue, pipelines::get, handlers, timers, relay, () -> events);
        dispatcher.setGlobalJobTimeout(settings.jobTimeout());
        dispatcher.setWorkers(settings.numWorkers());
        management.lock();
        try {
            active = true;
        } finally {
            management.unlock();
        }
        LOG.info("jobs runtime started: {} workers, queue capacity {}, timeout {} s", settings.numWorkers(),
                settings.pipelineSize(), settings.timeout());
    }

    @Modified
    void modified(Map<String, Object> props) {
        RuntimeSettings next = readSettings(props);
        management.lock();
        try {
            RuntimeSettings previous = settings;
            settings = next;
            queue.setCapacity(next.pipelineSize());
            dispatcher.setWorkers(next.numWorkers());
            dispatcher.setGlobalJobTimeout(next.jobTimeout());
            for (String name : next.consume()) {
                ManagedPipeline p = pipelines.get(name);
                if (p != null && !previous.consume().contains(name) && !p.consuming()) {
                    runQuietly(p, p::startConsuming, "resume");
                }
            }
        } finally {
            management.unlock();
        }
        LOG.info("jobs runtime reconfigured: {} workers, queue capacity {}, timeout {} s", next.numWorkers(),
                next.pipelineSize(), next.timeout());
    }

    @Deactivate
    void deactivate() {
        management.lock();
        try {
            active = false;
            List<ManagedPipeline> all = List.copyOf(pipelines.values());
            stopTogether(all, "runtime stopped");
            for (ManagedPipeline p : all) {
                int held = p.heldCount();
                if (held > 0) {
                    LOG.warn("pipeline '{}': {} queued jobs were still held when the runtime stopped", p.name, held);
                }
            }
            pipelines.clear();
            pipelineOfConfig.clear();
        } finally {
            management.unlock();
        }
        dispatcher.shutdown(TimeUnit.SECONDS.toMillis(settings.timeout()));
        timers.shutdownNow();
        relay.shutdown();
        LOG.info("jobs runtime stopped");
    }

    // ---- drivers -----------------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConstructor(Constructor constructor, Map<String, Object> props) {
        String name = driverName(constructor, props);
        long serviceId = (Long) props.get(Constants.SERVICE_ID);
        management.lock();
        try {
            Optional<DriverRegistry.Entry> before = drivers.add(new DriverRegistry.Entry(name, constructor, serviceId));
            if (before.isPresent()) {
                LOG.error("two drivers claim driver.name={}: service {} serves, service {} waits as stand-by", name,
                        before.get().serviceId(), serviceId);
                return;
            }
            LOG.info("driver {} available", name);
            if (active) {
                for (ManagedPipeline p : pipelinesOf(name)) {
                    if (p.driver() == null) {
                        startDriver(p);
                    }
                }
            }
        } finally {
            management.unlock();
        }
        post("driver/ADDED", Map.of("driver", name));
    }

    void removeConstructor(Constructor constructor) {
        String name;
        management.lock();
        try {
            Optional<DriverRegistry.Entry> removed = drivers.remove(constructor);
            if (removed.isEmpty()) {
                return;
            }
            name = removed.get().name();
            Optional<DriverRegistry.Entry> successor = drivers.active(name);
            boolean wasServing = successor.isEmpty() || successor.get().serviceId() > removed.get().serviceId();
            if (!wasServing) {
                return;
            }
            LOG.info("driver {} {}", name, successor.isPresent() ? "replaced by its stand-by" : "unavailable");
            if (active) {
                List<ManagedPipeline> affected = pipelinesOf(name);
                stopTogether(affected, "driver " + name + " unavailable");
                for (ManagedPipeline p : affected) {
                    int held = p.heldCount();
                    if (held > 0) {
                        LOG.info("pipeline '{}': {} jobs held until driver {} returns", p.name, held, name);
                    }
                    if (successor.isPresent()) {
                        startDriver(p);
                    } else {
                        post("pipeline/UNAVAILABLE", Map.of("pipeline", p.name, "driver", name, "held", held));
                    }
                }
            }
        } finally {
            management.unlock();
        }
        post("driver/REMOVED", Map.of("driver", name));
    }

    // ---- handlers and events -----------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(JobHandler handler, Map<String, Object> props) {
        handlers.add(HandlerRegistry.registration(handler, props));
    }

    void updatedHandler(JobHandler handler, Map<String, Object> props) {
        handlers.remove(handler);
        handlers.add(HandlerRegistry.registration(handler, props));
    }

    void removeHandler(JobHandler handler) {
        handlers.remove(handler);
        Dispatcher current = dispatcher;
        if (current != null) {
            current.cancelRunsOf(handler);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventSink sink) {
        this.events = sink;
    }

    void unsetEvents(EventSink sink) {
        if (this.events == sink) {
            this.events = null;
        }
    }

    // ---- configured pipelines ----------------------------------------------------------------------------

    @Override
    public void configure(String pid, Map<String, ?> props) {
        Map<String, Object> options = pipelineOptions(pid, props);
        String name = String.valueOf(options.get(OPTION_NAME));
        Pipeline definition;
        try {
            definition = Pipeline.of(options);
        } catch (JobsException e) {
            LOG.error("configuration {}: {}", pid, e.getMessage());
            return;
        }
        management.lock();
        try {
            String previousName = pipelineOfConfig.get(pid);
            ManagedPipeline existing = previousName == null ? null : pipelines.get(previousName);
            if (existing != null && !previousName.equals(name)) {
                removePipeline(existing, "renamed to '" + name + "'");
                pipelineOfConfig.remove(pid);
                existing = null;
            }
            ManagedPipeline clash = pipelines.get(name);
            if (existing == null && clash != null) {
                LOG.error("configuration {}: pipeline name '{}' is already used by {}", pid, name,
                        clash.configKey != null ? "configuration " + clash.configKey : "a declared pipeline");
                return;
            }
            PipelineOptions parsed;
            String problem = null;
            try {
                parsed = PipelineOptions.of(definition);
            } catch (JobsException e) {
                parsed = PipelineOptions.FALLBACK;
                problem = e.getMessage();
            }
            boolean consume = consumesOnStart(definition, parsed, true);
            if (existing != null) {
                existing.detach("reconfiguring", TimeUnit.SECONDS.toMillis(settings.timeout()));
                existing.redefine(definition, parsed);
                existing.consumeOnAttach(consume);
                if (problem != null) {
                    existing.unavailable(problem);
                    LOG.error("configuration {}: {}", pid, problem);
                } else {
                    startDriver(existing);
                }
                LOG.info("pipeline '{}' reconfigured", name);
                post("pipeline/UPDATED", Map.of("pipeline", name));
                return;
            }
            ManagedPipeline created = new ManagedPipeline(name, ManagedPipeline.Origin.CONFIGURED, pid, definition,
                    parsed, consume);
            pipelines.put(name, created);
            pipelineOfConfig.put(pid, name);
            if (problem != null) {
                created.unavailable(problem);
                LOG.error("configuration {}: {}", pid, problem);
            } else {
                startDriver(created);
            }
            LOG.info("pipeline '{}' created from configuration ({} driver{})", name, definition.driver(),
                    created.consuming() ? ", consuming" : ", paused");
        } finally {
            management.unlock();
        }
        post("pipeline/CREATED", Map.of("pipeline", name));
    }

    @Override
    public void unconfigure(String pid) {
        String name;
        management.lock();
        try {
            name = pipelineOfConfig.remove(pid);
            ManagedPipeline p = name == null ? null : pipelines.get(name);
            if (p == null || p.origin != ManagedPipeline.Origin.CONFIGURED) {
                return;
            }
            removePipeline(p, "configuration deleted");
        } finally {
            management.unlock();
        }
    }

    // ---- the Jobs service --------------------------------------------------------------------------------

    @Override
    public void push(Message message) {
        ManagedPipeline pipeline = target(message);
        CompletableFuture<Void> stored = pipeline.push(message).toCompletableFuture();
        int timeout = settings.timeout();
        try {
            stored.get(TimeUnit.SECONDS.toMillis(timeout) + DRIVER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            pipeline.counters.pushed.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipeline.counters.pushErrors.increment();
            throw new JobsException("pipeline '" + pipeline.name + "': interrupted while pushing job " + message.id());
        } catch (ExecutionException e) {
            pipeline.counters.pushErrors.increment();
            throw pushFailure(pipeline, message, e.getCause());
        } catch (TimeoutException e) {
            pipeline.counters.pushErrors.increment();
            throw notStoredInTime(pipeline, message, timeout);
        }
    }

    @Override
    public CompletionStage<Void> pushAsync(Message message) {
        ManagedPipeline pipeline;
        try {
            pipeline = target(message);
        } catch (JobsException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> stored = pipeline.push(message).toCompletableFuture();
        if (!stored.isDone()) {
            stored = stored.copy().orTimeout(TimeUnit.SECONDS.toMillis(settings.timeout()) + DRIVER_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return stored.handle((ok, failure) -> {
            if (failure == null) {
                pipeline.counters.pushed.increment();
                return null;
            }
            pipeline.counters.pushErrors.increment();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            throw cause instanceof TimeoutException ? notStoredInTime(pipeline, message, settings.timeout())
                    : pushFailure(pipeline, message, cause);
        });
    }

    @Override
    public List<PushResult> pushBatch(List<Message> messages) {
        if (messages == null) {
            throw new JobsException("pushBatch: messages are required");
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>(messages.size());
        for (Message m : messages) {
            pending.add(pushAsync(m).toCompletableFuture());
        }
        List<PushResult> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String id = messages.get(i) == null ? null : messages.get(i).id();
            try {
                pending.get(i).join();
                results.add(new PushResult(id, null));
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                results.add(new PushResult(id, cause instanceof JobsException ? (JobsException) cause
                        : new JobsException("push of job " + id + " failed: " + cause, cause)));
            }
        }
        return results;
    }

    @Override
    public void pause(String pipeline) {
        management.lock();
        try {
            ManagedPipeline p = existing(pipeline);
            p.stopConsuming();
        } finally {
            management.unlock();
        }
        post("pipeline/PAUSED", Map.of("pipeline", pipeline));
    }

    @Override
    public void resume(String pipeline) {
        management.lock();
        try {
            ManagedPipeline p = existing(pipeline);
            p.startConsuming();
        } finally {
            management.unlock();
        }
        post("pipeline/RESUMED", Map.of("pipeline", pipeline));
    }

    @Override
    public List<String> list() {
        return pipelines.keySet().stream().sorted().toList();
    }

    @Override
    public void declare(Map<String, String> options) {
        if (options == null) {
            throw new JobsException("declare: options are required");
        }
        Pipeline definition = Pipeline.of(options);
        PipelineOptions parsed = PipelineOptions.of(definition);
        String name = definition.name();
        management.lock();
        try {
            if (!active) {
                throw new JobsException("declare '" + name + "': the runtime is stopping");
            }
            if (pipelines.containsKey(name)) {
                throw new JobsException("pipeline '" + name + "' already exists");
            }
            DriverRegistry.Entry driver = drivers.active(definition.driver())
                    .orElseThrow(() -> new JobsException("pipeline '" + name + "': unknown driver '"
                            + definition.driver() + "' (registered: " + String.join(", ", drivers.names()) + ")"));
            ManagedPipeline created = new ManagedPipeline(name, ManagedPipeline.Origin.DECLARED, null, definition,
                    parsed, consumesOnStart(definition, parsed, false));
            Driver built = driver.constructor().driverFromPipeline(withTimeout(definition), queue);
            pipelines.put(name, created);
            try {
                created.attach(built, settings.timeout());
            } catch (RuntimeException e) {
                pipelines.remove(name);
                created.detach("declare failed", 0);
                throw e;
            }
            LOG.info("pipeline '{}' declared ({} driver{})", name, definition.driver(),
                    created.consuming() ? ", consuming" : ", paused");
        } finally {
            management.unlock();
        }
        post("pipeline/CREATED", Map.of("pipeline", name));
    }

    @Override
    public void destroy(String pipeline) {
        management.lock();
        try {
            ManagedPipeline p = existing(pipeline);
            if (p.configKey != null) {
                pipelineOfConfig.remove(p.configKey);
                LOG.warn("pipeline '{}' destroyed while its configuration {} still exists", pipeline, p.configKey);
            }
            removePipeline(p, "destroyed");
        } finally {
            management.unlock();
        }
    }

    @Override
    public List<State> stat() {
        List<State> states = new ArrayList<>();
        for (ManagedPipeline p : pipelines.values()) {
            states.add(p.state());
        }
        states.sort(Comparator.comparing(State::pipeline));
        return states;
    }

    @Override
    public State stat(String pipeline) {
        return existing(pipeline).state();
    }

    @Override
    public PipelineStats stats(String pipeline) {
        ManagedPipeline p = existing(pipeline);
        return p.counters.snapshot(p.name, p.state());
    }

    // ---- internals ---------------------------------------------------------------------------------------

    /** Builds and attaches a driver for a pipeline, or records why it cannot have one now. */
    private void startDriver(ManagedPipeline p) {
        Pipeline definition = p.definition();
        Optional<DriverRegistry.Entry> entry = drivers.active(definition.driver());
        if (entry.isEmpty()) {
            p.unavailable("driver " + definition.driver() + " unavailable (no driver service with driver.name="
                    + definition.driver() + "; registered: " + String.join(", ", drivers.names()) + ")");
            return;
        }
        try {
            Driver driver = p.origin == ManagedPipeline.Origin.CONFIGURED
                    ? entry.get().constructor().driverFromConfig(p.configKey, queue, withTimeout(definition))
                    : entry.get().constructor().driverFromPipeline(withTimeout(definition), queue);
            p.attach(driver, settings.timeout());
            post("pipeline/AVAILABLE", Map.of("pipeline", p.name, "driver", definition.driver()));
        } catch (RuntimeException | LinkageError e) {
            String reason = "driver " + definition.driver() + " failed to start the pipeline: " + e.getMessage();
            LOG.error("pipeline '{}': {}", p.name, reason, e);
            p.detach(reason, 0);
        }
    }

    /** Stops the drivers of several pipelines first, then gives their running jobs one shared {@code timeout}. */
    private void stopTogether(List<ManagedPipeline> stopping, String reason) {
        for (ManagedPipeline p : stopping) {
            p.stopDriver(reason);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeout());
        for (ManagedPipeline p : stopping) {
            p.awaitIdle(deadline);
        }
    }

    private void removePipeline(ManagedPipeline p, String why) {
        p.detach(why, TimeUnit.SECONDS.toMillis(settings.timeout()));
        int discarded = p.discardHeld();
        pipelines.remove(p.name);
        if (discarded > 0) {
            LOG.warn("pipeline '{}' {}: {} queued jobs discarded", p.name, why, discarded);
        } else {
            LOG.info("pipeline '{}' {}", p.name, why);
        }
        post("pipeline/DESTROYED", Map.of("pipeline", p.name, "discarded", discarded, "reason", why));
    }

    private ManagedPipeline target(Message message) {
        if (message == null) {
            throw new JobsException("push: message is required");
        }
        String name = message.pipeline();
        if (name == null || name.isBlank()) {
            throw new JobsException("job '" + message.name() + "' (" + message.id() + "): no pipeline given");
        }
        ManagedPipeline pipeline = pipelines.get(name);
        if (pipeline == null) {
            throw new JobsException("unknown pipeline '" + name + "' (job '" + message.name() + "', "
                    + message.id() + ")");
        }
        int max = settings.maxJobSize();
        if (message.payloadSize() > max) {
            pipeline.counters.pushErrors.increment();
            throw new JobsException("pipeline '" + name + "': job '" + message.name() + "' (" + message.id()
                    + ") has a payload of " + message.payloadSize() + " bytes, over max_job_size " + max);
        }
        return pipeline;
    }

    private ManagedPipeline existing(String name) {
        ManagedPipeline p = name == null ? null : pipelines.get(name);
        if (p == null) {
            throw new JobsException("unknown pipeline '" + name + "'");
        }
        return p;
    }

    private List<ManagedPipeline> pipelinesOf(String driver) {
        return pipelines.values().stream().filter(p -> p.definition().driver().equals(driver))
                .sorted(Comparator.comparing(p -> p.name)).toList();
    }

    /** A configured pipeline consumes unless it says otherwise; any pipeline listed in {@code consume} does. */
    private boolean consumesOnStart(Pipeline definition, PipelineOptions options, boolean configured) {
        return settings.consume().contains(definition.name()) || (configured && options.consume());
    }

    /** Drivers read the runtime's timeout from the pipeline unless the pipeline sets its own. */
    private Pipeline withTimeout(Pipeline definition) {
        return definition.has("timeout") ? definition : definition.with("timeout", settings.timeout());
    }

    private static Map<String, Object> pipelineOptions(String pid, Map<String, ?> props) {
        Map<String, Object> options = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")
                    && !k.equals("objectClass")) {
                options.put(k, v);
            }
        });
        Object name = options.get(OPTION_NAME);
        if (name == null || name.toString().isBlank()) {
            options.put(OPTION_NAME, defaultName(pid, props.get("felix.fileinstall.filename")));
        }
        return options;
    }

    /** A configuration without {@code name} is named after its FileInstall file, else after its PID. */
    static String defaultName(String pid, Object fileName) {
        if (fileName != null) {
            String file = fileName.toString();
            file = file.substring(file.lastIndexOf('/') + 1);
            String prefix = "jobs.pipeline-";
            if (file.startsWith(prefix) && file.endsWith(".cfg")) {
                return file.substring(prefix.length(), file.length() - ".cfg".length());
            }
            if (file.startsWith(prefix) && file.endsWith(".config")) {
                return file.substring(prefix.length(), file.length() - ".config".length());
            }
        }
        return pid;
    }

    private static String driverName(Constructor constructor, Map<String, Object> props) {
        Object property = props.get(Constructor.DRIVER_NAME);
        String name = property == null ? null : property.toString();
        String own;
        try {
            own = constructor.name();
        } catch (RuntimeException e) {
            own = null;
        }
        if (name == null || name.isBlank()) {
            LOG.warn("driver constructor service {} has no {} property; using its name() '{}'",
                    props.get(Constants.SERVICE_ID), Constructor.DRIVER_NAME, own);
            return own;
        }
        if (own != null && !own.equals(name)) {
            LOG.warn("driver constructor service {} has {}={} but name() '{}'; the property wins",
                    props.get(Constants.SERVICE_ID), Constructor.DRIVER_NAME, name, own);
        }
        return name;
    }

    private RuntimeSettings readSettings(Map<String, Object> props) {
        try {
            return RuntimeSettings.of(props);
        } catch (JobsException e) {
            LOG.error("{}; keeping the previous settings", e.getMessage());
            return settings;
        }
    }

    private void runQuietly(ManagedPipeline p, Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': {} failed: {}", p.name, what, e.getMessage());
        }
    }

    private void post(String topic, Map<String, Object> props) {
        EventSink sink = events;
        if (sink != null) {
            try {
                sink.post(topic, props);
            } catch (RuntimeException e) {
                LOG.debug("event {} not posted: {}", topic, e.getMessage());
            }
        }
    }

    private static JobsException pushFailure(ManagedPipeline pipeline, Message message, Throwable cause) {
        if (cause instanceof JobsException) {
            return (JobsException) cause;
        }
        return new JobsException("pipeline '" + pipeline.name + "': push of job " + message.id() + " failed: "
                + cause.getMessage(), cause);
    }

    private static JobsException notStoredInTime(ManagedPipeline pipeline, Message message, int timeout) {
        return new JobsException("pipeline '" + pipeline.name + "': job " + message.id() + " was not stored within "
                + timeout + " s (timeout)");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
