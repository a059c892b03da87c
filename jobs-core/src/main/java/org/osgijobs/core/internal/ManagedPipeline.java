package org.osgijobs.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Browsable;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline as the runtime keeps it: its definition, its lifecycle ({@link PipelinePhase}), the driver serving
 * it, the jobs held for it while it has none, and its counters.
 * <p>
 * Transitions ({@link #start}, {@link #stopDriver}, {@link #redefine}, {@link #destroy}, {@link #pause},
 * {@link #resume}) run one at a time on the pipeline's {@link Lane}; they call drivers outside this object's
 * monitor, which guards the phase, the published driver and the held jobs together, so that a job kept during a
 * driver swap either reaches the new driver's backlog before the driver is published or goes to the new driver.
 * The push and dispatch paths read the volatile driver reference and take no lock while a driver serves.
 */
final class ManagedPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedPipeline.class);

    /** Pushes that may wait at once for a driver being swapped in; beyond, pushes fail (bounded memory). */
    static final int MAX_WAITING_PUSHES = 10_000;
    /** How soon held jobs that a driver refused are offered to it again. */
    static final long RESTORE_RETRY_MILLIS = 1000;

    /** Where a pipeline comes from. */
    enum Origin {
        /** A {@code jobs.pipeline} factory configuration. */
        CONFIGURED,
        /** {@code Jobs.declare}. */
        DECLARED
    }

    final String name;
    final Origin origin;
    final String configKey;
    final PipelineCounters counters = new PipelineCounters();
    final Lane lane;
    private final PipelineHost host;

    private volatile Pipeline definition;
    private volatile PipelineOptions options;
    private volatile Driver driver;
    private volatile PipelinePhase phase;

    // guarded by this
    private String problem;
    private boolean consuming;
    private CompletableFuture<Driver> nextDriver = new CompletableFuture<>();
    private long awaitDriverUntil;
    private int waitingPushes;
    private boolean restoreScheduled;
    private final ArrayDeque<Message> held = new ArrayDeque<>();
    private final CompletableFuture<Void> destroyed = new CompletableFuture<>();
    // confined to the lane
    private boolean started;
    /** INVALID because a driver refused the options: a new constructor of the kind may accept them. */
    private boolean driverRefused;

    /**
     * @param problem   why the options are invalid, or {@code null}
     * @param consuming whether it consumes once a driver serves it
     */
    ManagedPipeline(String name, Origin origin, String configKey, Pipeline definition, PipelineOptions options,
            String problem, boolean consuming, PipelineHost host, Lane lane) {
        this.name = name;
        this.origin = origin;
        this.configKey = configKey;
        this.definition = definition;
        this.options = options;
        this.host = host;
        this.lane = lane;
        this.consuming = consuming;
        this.problem = problem != null ? problem : "driver " + definition.driver() + " not started yet";
        this.phase = problem != null ? PipelinePhase.INVALID : PipelinePhase.WAITING_FOR_DRIVER;
        // a pipeline just created is about to get its driver: pushes may wait for it as for a swap
        this.awaitDriverUntil = System.nanoTime() + host.driverWaitNanos();
    }

    Pipeline definition() {
        return definition;
    }

    PipelineOptions options() {
        return options;
    }

    RetryPolicy retry() {
        return options.retry();
    }

    int jobTimeout() {
        return options.jobTimeout();
    }

    PipelinePhase phase() {
        return phase;
    }

    synchronized boolean consuming() {
        return consuming;
    }

    /** @return why the pipeline has no driver or its options are invalid, or {@code null} while served */
    synchronized String problem() {
        return driver != null ? null : problem;
    }

    // ---- the push path -------------------------------------------------------------------------------------

    /**
     * Pushes a job to the driver; while a driver is being swapped in, waits for it (without blocking the caller)
     * up to the runtime's {@code driver_wait}.
     *
     * @return the driver's completion, or a failed stage naming why the pipeline cannot take jobs
     */
    CompletionStage<Void> push(Message message) {
        Driver current = driver;
        if (current != null) {
            return pushTo(current, message, true);
        }
        return pushWhenServed(message);
    }

    private CompletionStage<Void> pushTo(Driver target, Message message, boolean retryOnSwap) {
        CompletionStage<Void> stage;
        try {
            stage = target.push(message);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (retryOnSwap && driver != target && failedAlready(stage)) {
            // the driver stopped between our read and its push: the job goes to the next one
            return pushWhenServed(message);
        }
        return stage;
    }

    private static boolean failedAlready(CompletionStage<Void> stage) {
        try {
            return stage.toCompletableFuture().isCompletedExceptionally();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private CompletionStage<Void> pushWhenServed(Message message) {
        CompletableFuture<Driver> next;
        long waitNanos;
        Driver current;
        synchronized (this) {
            current = driver;
            if (current == null) {
                PipelinePhase now = phase;
                if (now == PipelinePhase.INVALID || now == PipelinePhase.DESTROYED) {
                    return CompletableFuture.failedFuture(unavailable());
                }
                waitNanos = now.swapping() ? host.driverWaitNanos() : awaitDriverUntil - System.nanoTime();
                if (waitNanos <= 0) {
                    return CompletableFuture.failedFuture(unavailable());
                }
                if (waitingPushes >= MAX_WAITING_PUSHES) {
                    return CompletableFuture.failedFuture(new JobsException(Kind.UNAVAILABLE, prefix()
                            + problem + "; " + MAX_WAITING_PUSHES + " pushes already wait for its driver"));
                }
                waitingPushes++;
                next = nextDriver;
            } else {
                next = null;
                waitNanos = 0;
            }
        }
        if (next == null) {
            return pushTo(current, message, true);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        next.copy().orTimeout(waitNanos, TimeUnit.NANOSECONDS).whenComplete((served, failure) -> {
            synchronized (this) {
                waitingPushes--;
            }
            onCallbackThread(() -> {
                if (failure != null) {
                    Throwable cause = failure instanceof TimeoutException ? unavailable() : failure;
                    result.completeExceptionally(cause);
                } else {
                    pushTo(served, message, true).whenComplete((ok, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(null);
                        }
                    });
                }
            });
        });
        return result;
    }

    /** Runs on the runtime's callback threads; inline once they are gone (the runtime stops). */
    private void onCallbackThread(Runnable task) {
        try {
            host.callbacks().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    private synchronized JobsException unavailable() {
        Kind kind = phase == PipelinePhase.INVALID ? Kind.BAD_INPUT : Kind.UNAVAILABLE;
        String why = phase == PipelinePhase.DESTROYED ? "destroyed" : problem;
        return new JobsException(kind, named(why));
    }

    /**
     * Keeps a job that could not go back to its driver (the driver stopped meanwhile, or an auto-acked job that
     * must run again): it goes to the current driver if there is one, otherwise it waits for the next one.
     */
    void keep(Message message) {
        Driver current;
        synchronized (this) {
            if (phase == PipelinePhase.DESTROYED) {
                LOG.warn("pipeline '{}' is destroyed: job {} ({}) is dropped", name, message.id(), message.name());
                return;
            }
            current = driver;
            if (current == null) {
                held.add(message);
                return;
            }
        }
        pushTo(current, message, false).whenComplete((ok, failure) -> {
            if (failure != null) {
                keepAfterRefusal(message, current, failure);
            }
        });
    }

    private void keepAfterRefusal(Message message, Driver refusing, Throwable failure) {
        boolean swapped;
        synchronized (this) {
            swapped = driver != refusing;
            if (!swapped) {
                held.add(message);
                LOG.warn("pipeline '{}': driver refused job {} ({}); held and offered again: {}", name,
                        message.id(), message.name(), failure.getMessage());
                scheduleRestore();
            }
        }
        if (swapped) {
            keep(message); // the driver changed under us: the new one (or the held backlog) takes it
        }
    }

    /** Guarded by this. */
    private void scheduleRestore() {
        if (restoreScheduled) {
            return;
        }
        restoreScheduled = true;
        host.later(() -> lane.run(this::restoreHeld), RESTORE_RETRY_MILLIS);
    }

    /** On the lane: offers the held jobs to the serving driver again. */
    private void restoreHeld() {
        Driver current;
        synchronized (this) {
            restoreScheduled = false;
            current = driver;
            if (current == null || held.isEmpty()) {
                return;
            }
        }
        List<Message> batch = takeHeld();
        List<Message> refused = pushAll(current, batch);
        if (!refused.isEmpty()) {
            synchronized (this) {
                prependHeld(refused);
                scheduleRestore();
            }
        }
    }

    // ---- transitions, on the lane --------------------------------------------------------------------------

    /**
     * WAITING_FOR_DRIVER → STARTING → RUNNING: builds a driver from the constructor serving the pipeline's kind,
     * runs it if the pipeline consumes, pushes the held jobs into it, and publishes it. Stays waiting when no
     * constructor serves the kind; becomes INVALID when the driver refuses the options.
     */
    void start() {
        Pipeline def = definition;
        Optional<DriverRegistry.Entry> entry = host.constructor(def.driver());
        synchronized (this) {
            if (phase != PipelinePhase.WAITING_FOR_DRIVER) {
                return;
            }
            if (entry.isEmpty()) {
                problem = "driver " + def.driver() + " unavailable (no driver service with driver.name="
                        + def.driver() + "; registered: " + host.registeredDrivers() + ")";
                return;
            }
            move(PipelinePhase.STARTING);
        }
        Driver built;
        try {
            built = build(entry.get(), def);
        } catch (JobsException e) {
            // expected bad input (a malformed driver option, a refused queue): one line, no trace
            LOG.error("{}", named(e.getMessage()));
            driverRefused = true;
            becomeInvalid(e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            String reason = "driver " + def.driver() + " failed to start the pipeline: " + e;
            LOG.error("pipeline '{}': {}", name, reason, e);
            synchronized (this) {
                problem = reason;
                move(PipelinePhase.WAITING_FOR_DRIVER);
            }
            return;
        }
        boolean consume;
        synchronized (this) {
            consume = consuming;
        }
        started = false;
        // Consumption starts before the held jobs are restored: a bounded driver (max_jobs) makes room for them by
        // running jobs, so a backlog larger than its bound is not stuck until the push timeout. New pushes still
        // wait until the backlog is in (the driver is published after it), so FIFO holds.
        if (consume) {
            runDriver(built, def);
        }
        publishAfterBacklog(built);
        host.post("pipeline/AVAILABLE", Map.of("pipeline", name, "driver", def.driver()));
    }

    /**
     * A constructor of the pipeline's kind registered (again): a pipeline waiting for one starts, and one that a
     * driver refused gets another try (the refusal may have come from the driver's own configuration, since fixed).
     * On the lane.
     */
    void constructorArrived() {
        synchronized (this) {
            if (phase == PipelinePhase.INVALID && driverRefused) {
                move(PipelinePhase.WAITING_FOR_DRIVER);
            }
        }
        start();
    }

    private Driver build(DriverRegistry.Entry entry, Pipeline def) {
        Pipeline withTimeout = def.has("timeout") ? def : def.with("timeout", host.timeoutSeconds());
        Driver built = entry.constructor().create(new PipelineDriverContext(withTimeout,
                origin == Origin.CONFIGURED ? configKey : null, new PipelineQueue(name, host.queue()),
                withTimeout.getInt("timeout", host.timeoutSeconds())));
        if (built == null) {
            throw new IllegalStateException("constructor " + entry.name() + " built no driver");
        }
        return built;
    }

    /** Restores the held jobs into the new driver and publishes it once none is left, so FIFO holds. */
    private void publishAfterBacklog(Driver built) {
        int restored = 0;
        while (true) {
            List<Message> batch;
            synchronized (this) {
                if (held.isEmpty()) {
                    publish(built);
                    break;
                }
                batch = takeHeldLocked();
            }
            List<Message> refused = pushAll(built, batch);
            restored += batch.size() - refused.size();
            if (!refused.isEmpty()) {
                synchronized (this) {
                    prependHeld(refused);
                    publish(built);
                    scheduleRestore();
                }
                break;
            }
        }
        if (restored > 0) {
            LOG.info("pipeline '{}': {} held jobs pushed into the new {} driver", name, restored,
                    definition.driver());
        }
    }

    /** Guarded by this. */
    private void publish(Driver built) {
        driver = built;
        problem = null;
        awaitDriverUntil = 0;
        move(PipelinePhase.RUNNING);
        nextDriver.complete(built);
    }

    private void runDriver(Driver target, Pipeline def) {
        try {
            target.run(def);
            started = true;
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': cannot start consuming: {}", name, e.getMessage());
        }
    }

    /**
     * RUNNING → STOPPING → WAITING_FOR_DRIVER: intake stops (the driver pauses), the running jobs get until the
     * deadline, then the driver stops and hands back its in-process jobs, which are held for the next driver.
     * Pushes go to the old driver until it stops, then wait for the next one.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline shared by the pipelines that stop together
     * @param reason        shown in the state and in push errors until a driver serves the pipeline again
     */
    void stopDriver(long deadlineNanos, String reason) {
        Driver old;
        synchronized (this) {
            if (phase != PipelinePhase.RUNNING) {
                if (phase == PipelinePhase.WAITING_FOR_DRIVER) {
                    problem = reason;
                }
                return;
            }
            move(PipelinePhase.STOPPING);
            old = driver;
        }
        if (started) {
            try {
                old.pause(name);
            } catch (RuntimeException e) {
                LOG.warn("pipeline '{}': driver failed to pause before stopping: {}", name, e.getMessage());
            }
        }
        if (!counters.awaitIdle(deadlineNanos)) {
            LOG.warn("pipeline '{}': {} jobs still running at the end of the stop's wait; their outcome goes to "
                    + "the stopped driver or, for jobs that must run again, to the next one", name,
                    counters.inFlight.get());
        }
        synchronized (this) {
            driver = null;
            nextDriver = new CompletableFuture<>();
            problem = reason;
            awaitDriverUntil = System.nanoTime() + host.driverWaitNanos();
        }
        List<Message> handedBack;
        try {
            handedBack = old.stop();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("pipeline '{}': driver failed to stop cleanly", name, e);
            handedBack = List.of();
        }
        synchronized (this) {
            prependHeld(handedBack);
            move(PipelinePhase.WAITING_FOR_DRIVER);
        }
        started = false;
    }

    /**
     * Applies changed options: the driver stops (jobs held), the new definition takes effect, and a new driver
     * starts unless the options are invalid. The operator's pause is kept unless the edit changed {@code consume}.
     */
    void redefine(Pipeline newDefinition, PipelineOptions newOptions, String newProblem, long deadlineNanos) {
        stopDriver(deadlineNanos, "reconfiguring");
        driverRefused = false;
        boolean consumeChanged = !newDefinition.getString("consume", "").equals(definition.getString("consume", ""));
        definition = newDefinition;
        options = newOptions;
        synchronized (this) {
            if (consumeChanged) {
                consuming = newOptions.consume();
            }
            if (newProblem != null) {
                becomeInvalidLocked(newProblem);
                return;
            }
            move(PipelinePhase.WAITING_FOR_DRIVER);
            awaitDriverUntil = System.nanoTime() + host.driverWaitNanos();
        }
        start();
    }

    /**
     * Any phase → DESTROYED: stops the driver (running jobs get until the deadline) and gives up the held jobs.
     *
     * @return the jobs that were held, for a renamed pipeline to adopt; the caller discards them otherwise
     */
    List<Message> destroy(long deadlineNanos, String reason) {
        stopDriver(deadlineNanos, reason);
        try {
            synchronized (this) {
                if (phase == PipelinePhase.DESTROYED) {
                    return List.of();
                }
                move(PipelinePhase.DESTROYED);
                problem = reason;
                nextDriver.completeExceptionally(new JobsException(Kind.UNKNOWN_PIPELINE, prefix() + reason));
                return takeHeldLocked();
            }
        } finally {
            destroyed.complete(null);
        }
    }

    /** @return completes once the pipeline is destroyed: its driver has stopped (and let go of its file, its consumer) */
    CompletableFuture<Void> destroyed() {
        return destroyed;
    }

    /**
     * On the lane, before this pipeline's first start: waits until the pipeline that had its name before (deleted,
     * destroyed or renamed, and still stopping) is destroyed, so that two drivers of one name never overlap (a local
     * pipeline's file is locked by the first until it stops). Gives up after the deadline, with a warning.
     */
    void awaitPredecessor(ManagedPipeline previous, long deadlineNanos) {
        synchronized (this) {
            problem = "waiting for the previous pipeline '" + name + "' to stop";
        }
        try {
            previous.destroyed().get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("pipeline '{}': the previous pipeline of this name has not stopped in time; starting anyway",
                    name);
        } finally {
            synchronized (this) {
                problem = null;
            }
        }
    }

    /** Takes over jobs of the pipeline this one was renamed from; they go first. */
    synchronized void adopt(List<Message> jobs) {
        List<Message> renamed = new ArrayList<>(jobs.size());
        for (Message m : jobs) {
            renamed.add(m.toBuilder().pipeline(name).build());
        }
        prependHeld(renamed);
    }

    /** Pauses consumption; remembered while the pipeline has no driver. On the lane. */
    void pause() {
        Driver current;
        synchronized (this) {
            consuming = false;
            current = phase == PipelinePhase.RUNNING ? driver : null;
        }
        if (current != null && started) {
            current.pause(name);
        }
    }

    /**
     * Starts or resumes consumption; remembered while the pipeline has no driver. On the lane.
     *
     * @throws JobsException when the options are invalid
     */
    void resume() {
        Driver current;
        synchronized (this) {
            if (phase == PipelinePhase.INVALID) {
                throw new JobsException(Kind.BAD_INPUT, "cannot resume " + named(problem));
            }
            consuming = true;
            current = phase == PipelinePhase.RUNNING ? driver : null;
        }
        if (current == null) {
            return;
        }
        if (started) {
            current.resume(name);
        } else {
            runDriver(current, definition);
            if (!started) {
                throw new JobsException(prefix() + "cannot start consuming");
            }
        }
    }


    // ---- state -----------------------------------------------------------------------------------------------

    /** @return the pipeline's state: the driver's view when it has one, otherwise what the runtime holds */
    State state() {
        Driver current = driver;
        if (current != null) {
            try {
                State s = current.state();
                return phase == PipelinePhase.STOPPING ? s.toBuilder().ready(false).build() : s;
            } catch (RuntimeException e) {
                return fallbackState("state unavailable: " + e.getMessage());
            }
        }
        String why;
        synchronized (this) {
            why = problem;
        }
        return fallbackState(why);
    }

    /**
     * How the pipeline is, for the log line that announces it: {@code invalid}, {@code paused}, {@code consuming}
     * (also while it waits for its driver: as it will once the driver is there), or {@code push-only} when its
     * driver was asked to consume and says it is not ready without an error (an AMQP pipeline without a queue).
     * On the lane, after its start: it may ask the driver (a broker round trip).
     */
    String status() {
        boolean consume;
        synchronized (this) {
            consume = consuming;
        }
        PipelinePhase now = phase;
        if (now == PipelinePhase.INVALID) {
            return "invalid";
        }
        if (!consume) {
            return "paused";
        }
        if (now != PipelinePhase.RUNNING) {
            return "consuming"; // as it will once its driver is there (stat shows that it waits for it)
        }
        State s = state();
        boolean noError = s.errorMessage() == null || s.errorMessage().isEmpty();
        return started && !s.ready() && noError ? "push-only: its driver consumes nothing" : "consuming";
    }

    synchronized int heldCount() {
        return held.size();
    }

    private State fallbackState(String error) {
        long priority;
        try {
            priority = definition.priority();
        } catch (JobsException e) {
            priority = 0;
        }
        return State.builder(name).driver(definition.driver()).active(heldCount())
                .reserved(counters.inFlight.get()).priority(priority).errorMessage(error).build();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private void becomeInvalid(String why) {
        synchronized (this) {
            becomeInvalidLocked(why);
        }
        host.post("pipeline/INVALID", Map.of("pipeline", name, "error", why));
    }

    /** Guarded by this: waiting pushes fail at once, naming the problem. */
    private void becomeInvalidLocked(String why) {
        move(PipelinePhase.INVALID);
        problem = why;
        CompletableFuture<Driver> waiting = nextDriver;
        nextDriver = new CompletableFuture<>();
        waiting.completeExceptionally(new JobsException(Kind.BAD_INPUT, named(why)));
    }

    /**
     * @return the serving driver's view of its stored jobs
     * @throws JobsException {@code UNAVAILABLE} while no driver serves the pipeline, {@code BAD_INPUT} when its
     *                       driver cannot list its jobs
     */
    Browsable browsable() {
        Driver current;
        String why;
        synchronized (this) {
            current = driver;
            why = problem;
        }
        if (current == null) {
            throw new JobsException(Kind.UNAVAILABLE, named("no driver serves it now"
                    + (why == null ? "" : " (" + why + ")")));
        }
        if (!(current instanceof Browsable)) {
            throw new JobsException(Kind.BAD_INPUT, named("driver " + definition.driver()
                    + " cannot list its jobs (only drivers that store jobs themselves can)"));
        }
        return (Browsable) current;
    }

    /** Guarded by this. */
    private void move(PipelinePhase target) {
        phase = phase.checkMoveTo(target, name);
    }

    private List<Message> takeHeld() {
        synchronized (this) {
            return takeHeldLocked();
        }
    }

    private List<Message> takeHeldLocked() {
        List<Message> all = new ArrayList<>(held);
        held.clear();
        return all;
    }

    /** Guarded by this. */
    private void prependHeld(List<Message> jobs) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            held.addFirst(jobs.get(i));
        }
    }

    /**
     * Pushes jobs into a driver, all in flight together, each waiting up to the runtime's timeout.
     *
     * @return the jobs the driver did not take, in their order
     */
    private List<Message> pushAll(Driver target, List<Message> jobs) {
        List<CompletableFuture<Void>> pending = new ArrayList<>(jobs.size());
        for (Message m : jobs) {
            CompletionStage<Void> stage;
            try {
                stage = target.push(m);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            pending.add(stage.toCompletableFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(host.timeoutSeconds());
        List<Message> refused = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                pending.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refused.addAll(jobs.subList(i, jobs.size()));
                break;
            } catch (Exception e) {
                // a timeout may still store it: at least once, as for any push whose outcome is unknown
                LOG.warn("pipeline '{}': held job {} not taken by the driver: {}", name, jobs.get(i).id(),
                        e.getCause() != null ? e.getCause().getMessage() : e.toString());
                refused.add(jobs.get(i));
            }
        }
        return refused;
    }

    private String prefix() {
        return "pipeline '" + name + "': ";
    }

    /** @return the text with the pipeline's name in front, once */
    private String named(String text) {
        return text != null && text.startsWith(prefix()) ? text : prefix() + text;
    }

    @Override
    public String toString() {
        return "pipeline '" + name + "' (" + phase + ")";
    }
}
