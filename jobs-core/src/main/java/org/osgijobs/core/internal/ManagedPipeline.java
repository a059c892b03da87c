package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline as the runtime keeps it: its definition, the driver serving it while that driver's constructor is
 * present, the jobs held for it while it has no driver, and its counters.
 * <p>
 * Driver transitions ({@link #attach}, {@link #detach}) are made by the runtime under its management lock; the
 * push and dispatch paths only read the volatile driver reference. Calls into the driver are made outside this
 * object's monitor, which guards only {@code held}.
 */
final class ManagedPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedPipeline.class);

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

    private volatile Pipeline definition;
    private volatile PipelineOptions options;
    private volatile Driver driver;
    private volatile String unavailableReason;
    private volatile boolean consuming;
    /** Whether {@code run} was called on the current driver; guarded by the runtime's management lock. */
    private boolean started;
    private final List<Message> held = new ArrayList<>();

    ManagedPipeline(String name, Origin origin, String configKey, Pipeline definition, PipelineOptions options,
            boolean consuming) {
        this.name = name;
        this.origin = origin;
        this.configKey = configKey;
        this.definition = definition;
        this.options = options;
        this.consuming = consuming;
        this.unavailableReason = "driver " + definition.driver() + " unavailable";
    }

    Pipeline definition() {
        return definition;
    }

    RetryPolicy retry() {
        return options.retry();
    }

    int jobTimeout() {
        return options.jobTimeout();
    }

    boolean consuming() {
        return consuming;
    }

    Driver driver() {
        return driver;
    }

    /** Replaces the definition; only while detached. */
    void redefine(Pipeline newDefinition, PipelineOptions newOptions) {
        this.definition = newDefinition;
        this.options = newOptions;
    }

    /** Records why the pipeline has no driver; shown in its state and in push errors. */
    void unavailable(String reason) {
        this.unavailableReason = reason;
    }

    /**
     * Pushes a job to the driver.
     *
     * @return the driver's completion, or a failed stage naming why the pipeline cannot take jobs
     */
    CompletionStage<Void> push(Message message) {
        Driver current = driver;
        if (current == null) {
            return CompletableFuture.failedFuture(new JobsException("pipeline '" + name + "': " + unavailableReason));
        }
        try {
            return current.push(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Keeps a job that could not go back to its driver (the driver stopped meanwhile): it goes to the current
     * driver if there is one again, otherwise it waits for the next one.
     */
    void keep(Message message) {
        Driver current;
        synchronized (this) {
            current = driver;
            if (current == null) {
                held.add(message);
                return;
            }
        }
        push(message).whenComplete((ok, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    held.add(message);
                }
            }
        });
    }

    /**
     * Starts serving the pipeline with a new driver: jobs held meanwhile are pushed into it first, then it starts
     * consuming if the pipeline is consuming.
     *
     * @param newDriver      the driver
     * @param timeoutSeconds how long each held job may take to be stored
     */
    void attach(Driver newDriver, int timeoutSeconds) {
        List<Message> backlog;
        synchronized (this) {
            backlog = new ArrayList<>(held);
            held.clear();
            driver = newDriver;
            unavailableReason = null;
        }
        int restored = 0;
        for (Message message : backlog) {
            try {
                newDriver.push(message).toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
                restored++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                keepAll(backlog.subList(restored, backlog.size()));
                break;
            } catch (Exception e) {
                LOG.error("pipeline '{}': could not restore job {} into the new driver, keeping it: {}", name,
                        message.id(), e.getMessage());
                keep(message);
                restored++;
            }
        }
        if (!backlog.isEmpty()) {
            LOG.info("pipeline '{}': {} held jobs pushed into the new {} driver", name, restored,
                    definition.driver());
        }
        started = false;
        if (consuming) {
            newDriver.run(definition);
            started = true;
        }
    }

    /** Sets whether the next attached driver consumes; only while detached. */
    void consumeOnAttach(boolean consume) {
        this.consuming = consume;
    }

    /** Starts or resumes consumption; remembered while the pipeline has no driver. */
    void startConsuming() {
        consuming = true;
        Driver current = driver;
        if (current == null) {
            return;
        }
        if (started) {
            current.resume(name);
        } else {
            current.run(definition);
            started = true;
        }
    }

    /** Pauses consumption; remembered while the pipeline has no driver. */
    void stopConsuming() {
        consuming = false;
        Driver current = driver;
        if (current != null && started) {
            current.pause(name);
        }
    }

    /**
     * Stops the driver: no new intake, its in-process jobs are held for the next driver, and jobs running in
     * handlers get up to the given time to finish.
     *
     * @param reason shown in the state and in push errors until a driver is attached again
     * @return the number of jobs now held
     */
    int detach(String reason, long waitMillis) {
        stopDriver(reason);
        awaitIdle(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis));
        return heldCount();
    }

    /**
     * Stops the driver without waiting for running jobs: its in-process jobs are held for the next driver. Used
     * directly when several pipelines stop together, so that they share one wait ({@link #awaitIdle}).
     */
    void stopDriver(String reason) {
        Driver old;
        synchronized (this) {
            old = driver;
            driver = null;
            unavailableReason = reason;
        }
        if (old == null) {
            return;
        }
        List<Message> handedBack;
        try {
            handedBack = old.stop();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': driver failed to stop cleanly", name, e);
            handedBack = List.of();
        }
        synchronized (this) {
            held.addAll(0, handedBack);
        }
    }

    /** Forgets the held jobs. @return how many there were */
    synchronized int discardHeld() {
        int count = held.size();
        held.clear();
        return count;
    }

    synchronized int heldCount() {
        return held.size();
    }

    /** @return the pipeline's state: the driver's view when it has one, otherwise what the runtime holds */
    State state() {
        Driver current = driver;
        if (current != null) {
            try {
                return current.state();
            } catch (RuntimeException e) {
                return fallbackState("state unavailable: " + e.getMessage());
            }
        }
        return fallbackState(unavailableReason);
    }

    private State fallbackState(String error) {
        long priority;
        try {
            priority = definition.priority();
        } catch (JobsException e) {
            priority = 0;
        }
        return new State(name, definition.driver(), name, heldCount(), 0, counters.inFlight.get(), false, priority,
                error);
    }

    private void keepAll(List<Message> messages) {
        synchronized (this) {
            held.addAll(messages);
        }
    }

    /** Waits until no job of the pipeline runs in a handler, or the deadline ({@link System#nanoTime()}) passes. */
    void awaitIdle(long deadlineNanos) {
        while (counters.inFlight.get() > 0 && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (counters.inFlight.get() > 0) {
            LOG.warn("pipeline '{}': {} jobs still running at the end of the wait; their outcome goes to the next "
                    + "driver", name, counters.inFlight.get());
        }
    }
}
