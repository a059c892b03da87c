package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
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
import org.osgijobs.api.JobProducer;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.api.monitor.JobsObserver;
import org.osgijobs.api.monitor.JobsTracer;
import org.osgijobs.api.monitor.RuntimeGauges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job runtime as a DS component: the producer's and the operator's services, the shared priority queue and
 * the workers ({@link Dispatcher}), and the bindings to driver constructors and job handlers as they come and go.
 * What happens to pipelines is decided by the {@link PipelineManager} and carried out, one transition at a time,
 * by each {@link ManagedPipeline} on its lane; the push and dispatch paths take no lifecycle lock.
 */
@Component(service = { Jobs.class, JobProducer.class, PipelineAdmin.class, PipelineRegistry.class,
        RuntimeGauges.class },
        configurationPid = RuntimeSettings.PID, immediate = true)
@Designate(ocd = JobsRuntime.Config.class)
public final class JobsRuntime implements Jobs, PipelineRegistry, RuntimeGauges {
    private static final Logger LOG = LoggerFactory.getLogger(JobsRuntime.class);

    /** The global configuration, PID {@code jobs}; parsed by {@link RuntimeSettings}. */
    @ObjectClassDefinition(id = RuntimeSettings.PID, name = "Jobs runtime",
            description = "Global settings of the job runtime")
    public @interface Config {
        @AttributeDefinition(description = "Threads executing handlers (0: the number of CPUs)")
        int num__workers() default 0;

        @AttributeDefinition(description = "Capacity of the shared priority queue, in jobs")
        int pipeline__size() default RuntimeSettings.DEFAULT_PIPELINE_SIZE;

        @AttributeDefinition(description = "Seconds for push confirmation and for stopping a pipeline")
        int timeout() default 60;

        @AttributeDefinition(description = "Seconds a push waits for a pipeline's driver being replaced")
        int driver__wait() default RuntimeSettings.DEFAULT_DRIVER_WAIT;

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
    private static final long DRIVER_GRACE_MILLIS = PipelineManager.GRACE_MILLIS;
    /** In the bundle's data area: what operators declared and paused (see {@link OperatorState}). */
    static final String OPERATOR_STATE_FILE = "operator-state.properties";

    private final HandlerRegistry handlers = new HandlerRegistry();
    /** The unknown keys last warned of, by configuration PID: each configuration warns once. */
    private final Map<String, List<String>> unknownKeysWarned = new java.util.concurrent.ConcurrentHashMap<>();
    private final PriorityJobQueue queue = new PriorityJobQueue(RuntimeSettings.DEFAULT_PIPELINE_SIZE);
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("jobs-timer"));
    /** Lifecycle transitions: one lane per pipeline over these threads, which end when idle. */
    /** The most jobs {@link #waiting(String, int)} lists at once. */
    static final int MAX_WAITING_LISTED = 1000;

    private final ThreadPoolExecutor lifecycle = elastic("jobs-lifecycle", Integer.MAX_VALUE);
    /** Stages returned to producers complete here, never on a driver's I/O thread; also deferred pushes. */
    private final ThreadPoolExecutor callbacks = elastic("jobs-callback", 16);
    private final PipelineManager manager;
    private final Producer producer;
    /** The JobsObserver services (whiteboard): metrics and tracing. */
    private final Observers observers = new Observers();
    private final Tracing tracing = new Tracing();

    private volatile RuntimeSettings settings = RuntimeSettings.defaults();
    private volatile EventSink events;
    private Dispatcher dispatcher;

    /** Builds the runtime; DS binds constructors and handlers before {@link #activate}. */
    public JobsRuntime() {
        timers.setRemoveOnCancelPolicy(true);
        manager = new PipelineManager(() -> settings, queue, lifecycle, callbacks, this::schedule, this::post);
        producer = new Producer(manager, () -> settings, callbacks, observers, tracing,
                new PushDeadlines(this::onTimer));
    }

    /** Named apart from the plain {@link #activate(Map)} so that SCR cannot pick the wrong overload. */
    @Activate
    void activateInFramework(BundleContext context, Map<String, Object> props) {
        java.io.File file = context.getDataFile(OPERATOR_STATE_FILE);
        activate(props, file == null ? OperatorState.none() : OperatorState.load(file.toPath()));
    }

    /** Activates without a bundle: nothing the operator does is kept across restarts (tests). */
    void activate(Map<String, Object> props) {
        activate(props, OperatorState.none());
    }

    void activate(Map<String, Object> props, OperatorState operatorState) {
        settings = readSettings(props);
        queue.setCapacity(settings.pipelineSize());
        dispatcher = new Dispatcher(queue, manager::ofJob, handlers, timers, callbacks, () -> events,
                observers, tracing);
        dispatcher.setGlobalJobTimeout(settings.jobTimeout());
        dispatcher.setWorkers(settings.numWorkers());
        manager.activate(operatorState);
        LOG.info("jobs runtime started: {} workers, queue capacity {}, timeout {} s", settings.numWorkers(),
                settings.pipelineSize(), settings.timeout());
    }

    @Modified
    void modified(Map<String, Object> props) {
        RuntimeSettings previous = settings;
        RuntimeSettings next = readSettings(props);
        settings = next;
        queue.setCapacity(next.pipelineSize());
        dispatcher.setWorkers(next.numWorkers());
        dispatcher.setGlobalJobTimeout(next.jobTimeout());
        manager.consumeListed(next.consume().stream().filter(n -> !previous.consume().contains(n)).toList());
        LOG.info("jobs runtime reconfigured: {} workers, queue capacity {}, timeout {} s", next.numWorkers(),
                next.pipelineSize(), next.timeout());
    }

    @Deactivate
    void deactivate() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeout());
        manager.shutdown();
        // the pipelines gave their running jobs the whole timeout already: the workers get what is left of it
        dispatcher.shutdown(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        timers.shutdownNow();
        callbacks.shutdown();
        lifecycle.shutdown();
        LOG.info("jobs runtime stopped");
    }

    // ---- drivers -----------------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConstructor(Constructor constructor, Map<String, Object> props) {
        String name = driverName(constructor, props);
        if (name == null) {
            return;
        }
        manager.constructorAdded(name, constructor, (Long) props.get(Constants.SERVICE_ID));
    }

    void removeConstructor(Constructor constructor) {
        manager.constructorRemoved(constructor);
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addObserver(JobsObserver observer) {
        observers.add(observer);
    }

    void removeObserver(JobsObserver observer) {
        observers.remove(observer);
    }

    /** The tracer with the highest ranking (a greedy unary reference: SCR swaps in a better one). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTracer(JobsTracer tracer) {
        tracing.use(tracer);
    }

    void unsetTracer(JobsTracer tracer) {
        tracing.forget(tracer);
    }

    // ---- gauges (metrics) --------------------------------------------------------------------------------

    @Override
    public int workers() {
        Dispatcher current = dispatcher;
        return current == null ? 0 : current.workerCount();
    }

    @Override
    public int busyWorkers() {
        Dispatcher current = dispatcher;
        return current == null ? 0 : current.busyWorkers();
    }

    @Override
    public int queuedJobs() {
        return queue.size();
    }

    @Override
    public int queueCapacity() {
        return queue.capacity();
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
        warnOfUnknownKeys(pid, options, ConfigurationFile.of(props));
        String problem = ConfiguredOptions.problem(options);
        Pipeline definition;
        try {
            definition = Pipeline.of(options);
        } catch (JobsException e) {
            // without a driver it is still a pipeline of this configuration: it shows in stat with its error
            Map<String, Object> named = new LinkedHashMap<>(options);
            named.put(OPTION_DRIVER, ConfiguredOptions.NO_DRIVER);
            definition = Pipeline.of(named);
            problem = e.getMessage();
        }
        manager.configure(pid, definition, problem, ConfigurationFile.of(props));
    }

    @Override
    public void unconfigure(String pid) {
        unknownKeysWarned.remove(pid);
        manager.unconfigure(pid);
    }

    /**
     * Warns once per configuration of the keys that no part of the pipeline reads (see {@link KnownOptions}), with
     * the nearest known key; again only when an edit changes which keys they are.
     */
    private void warnOfUnknownKeys(String pid, Map<String, Object> options, String file) {
        Object driver = options.get(OPTION_DRIVER);
        List<String> unknown = KnownOptions.unknown(driver == null ? null : driver.toString().trim(),
                options.keySet());
        List<String> before = unknown.isEmpty() ? unknownKeysWarned.remove(pid) : unknownKeysWarned.put(pid, unknown);
        if (!unknown.isEmpty() && !unknown.equals(before)) {
            LOG.warn("pipeline '{}' ({}): unknown key{} {}; {}", String.valueOf(options.get(OPTION_NAME)).trim(),
                    file != null ? "file " + file : "configuration " + pid, unknown.size() == 1 ? "" : "s",
                    String.join(", ", unknown), "ignored unless its driver reads it");
        }
    }

    // ---- the producer's service (see Producer) ------------------------------------------------------------

    @Override
    public void push(Message message) {
        producer.push(message);
    }

    @Override
    public CompletionStage<Void> pushAsync(Message message) {
        return producer.pushAsync(message);
    }

    @Override
    public List<PushResult> pushBatch(List<Message> messages) {
        return producer.pushBatch(messages);
    }

    // ---- the operator's service ----------------------------------------------------------------------------

    @Override
    public void pause(String pipeline) {
        ManagedPipeline p = manager.existing(pipeline);
        awaitTransition(manager.pause(p), p.name, "pause");
        post("pipeline/PAUSED", Map.of("pipeline", pipeline));
    }

    @Override
    public void resume(String pipeline) {
        ManagedPipeline p = manager.existing(pipeline);
        if (p.phase() == PipelinePhase.INVALID) {
            String problem = p.problem();
            throw new JobsException(Kind.BAD_INPUT, "cannot resume " + (problem.startsWith("pipeline '")
                    ? problem : "pipeline '" + p.name + "': " + problem));
        }
        awaitTransition(manager.resume(p), p.name, "resume");
        post("pipeline/RESUMED", Map.of("pipeline", pipeline));
    }

    @Override
    public List<String> list() {
        return manager.all().stream().map(p -> p.name).toList();
    }

    @Override
    public void declare(Map<String, String> options) {
        if (options == null) {
            throw new JobsException(Kind.BAD_INPUT, "declare: options are required");
        }
        Pipeline definition = Pipeline.of(options);
        ManagedPipeline created = awaitTransition(manager.declare(definition), definition.name(), "declare");
        if (created != null) {
            LOG.info("pipeline '{}' declared ({} driver, {})", created.name, definition.driver(), created.status());
        }
        post("pipeline/CREATED", Map.of("pipeline", definition.name()));
    }

    @Override
    public void destroy(String pipeline) {
        awaitTransition(manager.destroy(pipeline), pipeline, "destroy");
    }

    @Override
    public List<State> stat() {
        List<State> states = new ArrayList<>();
        for (ManagedPipeline p : manager.all()) {
            states.add(p.state());
        }
        return states;
    }

    @Override
    public State stat(String pipeline) {
        return manager.existing(pipeline).state();
    }

    @Override
    public PipelineStats stats(String pipeline) {
        ManagedPipeline p = manager.existing(pipeline);
        return p.counters.snapshot(p.name, p.state());
    }

    @Override
    public List<Message> waiting(String pipeline, int limit) {
        if (limit < 1 || limit > MAX_WAITING_LISTED) {
            throw new JobsException(Kind.BAD_INPUT, "limit must be from 1 to " + MAX_WAITING_LISTED + ", got "
                    + limit);
        }
        return manager.existing(pipeline).browsable().waiting(limit);
    }

    @Override
    public String runAgain(String deadLetterPipeline, String jobId) {
        ManagedPipeline letters = manager.existing(deadLetterPipeline);
        Message letter = letters.browsable().remove(jobId).orElseThrow(() -> new JobsException(Kind.BAD_INPUT,
                "pipeline '" + letters.name + "': no waiting job has id '" + jobId + "'"));
        String origin = DeadLetters.origin(letter);
        try {
            if (origin == null) {
                throw new JobsException(Kind.BAD_INPUT, "job " + jobId + " in pipeline '" + letters.name
                        + "' was not dead-lettered: it has no " + PipelineAdmin.DEAD_LETTER_FROM_HEADER + " header");
            }
            producer.push(DeadLetters.again(letter, origin));
        } catch (JobsException e) {
            putBack(letters, letter, e);
            throw e;
        }
        LOG.info("job {} ({}) of pipeline '{}' runs again in pipeline '{}'", jobId, letter.name(), letters.name,
                origin);
        return origin;
    }

    /** The job left its dead-letter pipeline but could not go on: back where it was (at the end of it). */
    private void putBack(ManagedPipeline letters, Message letter, JobsException why) {
        try {
            producer.push(letter);
        } catch (JobsException e) {
            // nowhere to keep it: the log is the last place the job exists
            LOG.error("job {} could not run again ({}) nor go back to pipeline '{}' ({}); it is dropped: {}",
                    letter.id(), why.getMessage(), letters.name, e.getMessage(), letter);
        }
    }

    /** Waits until the lifecycle transitions queued so far have run; for tests and scripts. */
    void awaitTransitions(long timeoutMillis) throws Exception {
        manager.quiesce().get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    // ---- internals ---------------------------------------------------------------------------------------

    /**
     * Waits for an operator's transition, at most {@code timeout}. From a worker thread it does not wait: the
     * transition may wait for the very job that asked for it (a handler destroying its own pipeline).
     *
     * @return the transition's result, or {@code null} when not waited for
     */
    private <T> T awaitTransition(CompletableFuture<T> transition, String pipeline, String what) {
        if (Dispatcher.isWorkerThread()) {
            transition.whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.error("pipeline '{}': {} (asked by a running job) failed: {}", pipeline, what,
                            failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
            return null;
        }
        int timeout = settings.timeout();
        try {
            return transition.get(TimeUnit.SECONDS.toMillis(timeout) + DRIVER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobsException(Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': interrupted during " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JobsException) {
                throw (JobsException) cause;
            }
            throw new JobsException("pipeline '" + pipeline + "': " + what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new JobsException(Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': " + what
                    + " not done within " + timeout + " s (timeout); it goes on in the background");
        }
    }

    /** Runs a short task on the timer thread itself after the delay; dropped when the runtime stops. */
    private void onTimer(Runnable task, long delayMillis) {
        try {
            timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("runtime stopping: a deferred task is dropped");
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            timers.schedule(() -> callbacks.execute(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("runtime stopping: a deferred task is dropped");
        }
    }

    private static Map<String, Object> pipelineOptions(String pid, Map<String, ?> props) {
        Map<String, Object> options = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            // the framework's keys: ConfigAdmin's, SCR's (component.*, osgi.ds.*), FileInstall's
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")
                    && !k.startsWith("osgi.ds.") && !k.equals("objectClass")) {
                options.put(k, v);
            }
        });
        Object name = options.get(OPTION_NAME);
        if (name == null || name.toString().isBlank()) {
            options.put(OPTION_NAME, defaultName(pid, props.get(ConfigurationFile.PROPERTY)));
        }
        return options;
    }

    /**
     * A configuration without {@code name} is named after its FileInstall file, else after the name it was created
     * with ({@code getFactoryConfiguration("jobs.pipeline", "orders")}, Karaf's {@code config:edit --alias}: PID
     * {@code jobs.pipeline~orders}), else after its PID.
     */
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
        String named = PipelineConfiguration.FACTORY_PID + "~";
        if (pid.startsWith(named) && pid.length() > named.length()) {
            return pid.substring(named.length());
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
            if (own == null || own.isBlank()) {
                LOG.error("driver constructor service {} has no {} property and no name(): ignored",
                        props.get(Constants.SERVICE_ID), Constructor.DRIVER_NAME);
                return null;
            }
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

    private static ThreadFactory daemon(String name) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + ids.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /** A pool whose threads come when needed and end after a few idle seconds. */
    private static ThreadPoolExecutor elastic(String name, int maxThreads) {
        ThreadPoolExecutor pool = maxThreads == Integer.MAX_VALUE
                ? new ThreadPoolExecutor(0, maxThreads, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon(name))
                : new ThreadPoolExecutor(maxThreads, maxThreads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        daemon(name));
        pool.allowCoreThreadTimeOut(maxThreads != Integer.MAX_VALUE);
        return pool;
    }
}
