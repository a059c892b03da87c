package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.api.monitor.JobsTracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool: threads that take jobs from the shared queue, run them in the best handler, decide once what
 * becomes of each run ({@link RunOutcome}) and carry that out (ack, retry with backoff, dead-letter, put back).
 * <p>
 * A run that overruns {@code job_timeout} is cancelled (its thread interrupted); one that ignores that for
 * {@link #ABANDON_AFTER_MILLIS} is abandoned: its job's outcome is decided without it, its worker is replaced so
 * that the pool keeps its size, and the stuck thread ends whenever the handler returns.
 * <p>
 * Work that must not run on a worker (pushes whose completion comes from a driver's I/O thread) goes to the
 * runtime's callback executor.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long POLL_MILLIS = 200;
    /** How long a cancelled run may go on before it is abandoned. */
    static final long ABANDON_AFTER_MILLIS = 2000;

    /** Header naming the pipeline a dead-lettered job failed in. */
    static final String DEAD_LETTER_FROM_HEADER = PipelineAdmin.DEAD_LETTER_FROM_HEADER;
    /** Header carrying the last failure of a dead-lettered job. */
    static final String ERROR_HEADER = PipelineAdmin.ERROR_HEADER;
    /** Header counting the times a job found no handler. */
    static final String NO_HANDLER_ROUNDS_HEADER = "x-jobs-no-handler-rounds";

    private final PriorityJobQueue queue;
    private final Function<String, ManagedPipeline> pipelines;
    private final HandlerRegistry handlers;
    private final ScheduledExecutorService timers;
    private final Executor callbacks;
    private final Supplier<EventSink> events;
    private final Observers observers;
    private final Tracing tracing;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private volatile int globalJobTimeout;
    private int nextWorkerId;
    private boolean shutDown;

    Dispatcher(PriorityJobQueue queue, Function<String, ManagedPipeline> pipelines, HandlerRegistry handlers,
            ScheduledExecutorService timers, Executor callbacks, Supplier<EventSink> events, Observers observers,
            Tracing tracing) {
        this.observers = observers;
        this.tracing = tracing;
        this.queue = queue;
        this.pipelines = pipelines;
        this.handlers = handlers;
        this.timers = timers;
        this.callbacks = callbacks;
        this.events = events;
    }

    /** @return {@code true} on a thread that runs jobs: it must not wait for transitions of its own pipeline */
    static boolean isWorkerThread() {
        return Thread.currentThread() instanceof WorkerThread;
    }

    void setGlobalJobTimeout(int seconds) {
        this.globalJobTimeout = seconds;
    }

    /** Grows or shrinks the pool; a retired worker finishes its current job first. */
    synchronized void setWorkers(int count) {
        if (shutDown) {
            return;
        }
        while (workers.size() < count) {
            startWorker();
        }
        while (workers.size() > count) {
            Worker worker = workers.remove(workers.size() - 1);
            worker.retire();
        }
    }


    /** @return the worker threads */
    int workerCount() {
        return workers.size();
    }

    /** @return the workers running a job now */
    int busyWorkers() {
        int busy = 0;
        for (Worker w : workers) {
            if (w.current != null) {
                busy++;
            }
        }
        return busy;
    }

    private void startWorker() {
        Worker worker = new Worker();
        WorkerThread thread = new WorkerThread(worker, "jobs-worker-" + nextWorkerId++);
        worker.thread = thread;
        workers.add(worker);
        thread.start();
    }

    /** Stops all workers: they finish their current job within the given time, then are interrupted. */
    void shutdown(long waitMillis) {
        List<Worker> stopping;
        synchronized (this) {
            shutDown = true;
            stopping = new ArrayList<>(workers);
            workers.clear();
        }
        stopping.forEach(Worker::retire);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Worker w : stopping) {
            try {
                w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Worker w : stopping) {
            if (w.thread.isAlive()) {
                Execution running = w.current;
                if (running != null) {
                    running.cancel(Execution.Cancel.HANDLER_GONE);
                }
                w.thread.interrupt();
            }
        }
    }

    /** Cancels the runs of a handler whose service went away; their jobs go back to the queue. */
    void cancelRunsOf(JobHandler handler) {
        for (Worker w : workers) {
            Execution running = w.current;
            if (running != null && running.handler == handler) {
                running.cancel(Execution.Cancel.HANDLER_GONE);
            }
        }
    }

    /** The threads of the pool, so that callers can tell them ({@link #isWorkerThread()}). */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable worker, String name) {
            super(worker, name);
            setDaemon(true);
        }
    }

    private final class Worker implements Runnable {
        volatile boolean retired;
        volatile Execution current;
        WorkerThread thread;

        /** The worker ends after its current job, or within one poll when idle (no interrupt: it could hit a job). */
        void retire() {
            retired = true;
        }

        @Override
        public void run() {
            while (!retired) {
                Job job;
                try {
                    job = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (job == null) {
                    continue;
                }
                if (retired) {
                    // retired between the poll and now: the job goes back for the next worker
                    if (!queue.offer(job)) {
                        process(job);
                    }
                    return;
                }
                try {
                    process(job);
                } catch (RuntimeException | Error e) {
                    // a broken driver or handler bundle, or an exhausted heap, must not kill the worker
                    LOG.error("worker: unexpected failure while processing job {}", job.id(), e);
                }
            }
        }

        private void process(Job job) {
            job.taken();
            ManagedPipeline pipeline = pipelines.apply(job.groupId());
            if (pipeline == null) {
                // nobody runs it here; its driver keeps it (a broker delivers it again), if it still can
                Custody custody = settle(job, Settlement.requeue(job.headers(), 0));
                if (custody == Custody.RUNTIME) {
                    LOG.error("job {} ({}) of unknown pipeline '{}' is lost: its driver is stopped", job.id(),
                            job.name(), job.groupId());
                } else {
                    LOG.warn("job {} belongs to unknown pipeline '{}'; given back to its driver", job.id(),
                            job.groupId());
                }
                return;
            }
            PipelineCounters counters = pipeline.counters;
            counters.runStarted();
            boolean ended = false;
            try {
                if (job.autoAck()) {
                    settle(job, Settlement.ack());
                }
                HandlerRegistry.Registration registration = handlers.select(job.name());
                if (registration == null) {
                    counters.noHandler.increment();
                    carryOut(pipeline, job, 1, noHandler(pipeline, job));
                    return;
                }
                ended = !run(pipeline, job, registration.handler());
            } finally {
                if (!ended) {
                    counters.runEnded();
                }
            }
        }

        /** @return {@code false} when the run was abandoned: its counters and outcome are settled already */
        private boolean run(ManagedPipeline pipeline, Job job, JobHandler handler) {
            Execution execution = new Execution(job, handler, thread);
            current = execution;
            int timeout = pipeline.jobTimeout() > 0 ? pipeline.jobTimeout() : globalJobTimeout;
            ScheduledFuture<?> watchdog = timeout > 0 ? watch(pipeline, execution, timeout) : null;
            Throwable failure = null;
            long start = System.nanoTime();
            boolean counts;
            JobsTracer.RunSpan span = tracing.run(pipeline.name, execution);
            try {
                handler.handle(execution);
            } catch (Exception | Error e) {
                // an Error thrown by a handler (StackOverflowError, OutOfMemoryError, ...) is a failed run like any
                // other: the job follows the retry policy and the worker lives on, instead of dying with the job
                // taken and never settled
                failure = e;
            } finally {
                span.end(failure);
                counts = execution.finish();
                current = null;
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
                Thread.interrupted(); // a cancellation must not leak into the next job
            }
            if (!counts) {
                LOG.warn("pipeline '{}': abandoned run of job {} returned at last; its thread {} ends", pipeline.name,
                        job.id(), thread.getName());
                retired = true;
                return false;
            }
            long ranNanos = System.nanoTime() - start;
            pipeline.counters.recordRun(ranNanos);
            observers.ran(pipeline.name, job.name(), ranNanos, failure == null && execution.cancelReason() == null
                    && execution.decision() == null);
            carryOut(pipeline, job, execution.attempt(), decide(pipeline, execution, failure, timeout));
            return true;
        }

        private ScheduledFuture<?> watch(ManagedPipeline pipeline, Execution execution, int timeout) {
            try {
                return timers.schedule(() -> {
                    execution.cancel(Execution.Cancel.TIMEOUT);
                    timers.schedule(() -> abandonIfStuck(this, pipeline, execution, timeout), ABANDON_AFTER_MILLIS,
                            TimeUnit.MILLISECONDS);
                }, timeout, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                return null; // the runtime is stopping
            }
        }
    }

    /** On the timer: a cancelled run still going after the grace is abandoned and its worker replaced. */
    private void abandonIfStuck(Worker worker, ManagedPipeline pipeline, Execution execution, int timeout) {
        if (!execution.abandon()) {
            return;
        }
        synchronized (this) {
            if (workers.remove(worker) && !shutDown) {
                startWorker();
            }
        }
        worker.retired = true;
        PipelineCounters counters = pipeline.counters;
        counters.abandoned.increment();
        counters.timedOut.increment();
        counters.failed.increment();
        counters.runEnded();
        String reason = "timed out after " + timeout + " s and ignored cancellation; its thread "
                + worker.thread.getName() + " is abandoned";
        LOG.error("pipeline '{}': job {} ({}) {}", pipeline.name, execution.job.id(), execution.job.name(), reason);
        RunOutcome outcome = RunOutcome.failure(pipeline.name, pipeline.retry(), execution.job.headers(),
                execution.attempt(), reason);
        callbacks.execute(() -> carryOut(pipeline, execution.job, execution.attempt(), outcome));
    }

    /**
     * A job no handler takes goes back after {@code no_handler_delay}, its rounds counted in a header, until
     * {@code no_handler_rounds} have passed: then it is dead-lettered or dropped, like a job out of attempts.
     */
    private RunOutcome noHandler(ManagedPipeline pipeline, Job job) {
        RetryPolicy retry = pipeline.retry();
        int round = Execution.countOf(job.headers(), NO_HANDLER_ROUNDS_HEADER) + 1;
        if (round >= retry.noHandlerRounds()) {
            return RunOutcome.lastAttempt(pipeline.name, retry, job.headers(), Execution.attemptOf(job.headers()),
                    "no handler for job name '" + job.name() + "' after " + round + " rounds ("
                            + RetryPolicy.NO_HANDLER_ROUNDS + ")");
        }
        if (round == 1) {
            LOG.warn("pipeline '{}': no handler for job '{}' ({}); it is offered again every {} s, {} times at most",
                    pipeline.name, job.name(), job.id(), retry.noHandlerDelay(), retry.noHandlerRounds());
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(job.headers());
        headers.put(NO_HANDLER_ROUNDS_HEADER, List.of(Integer.toString(round)));
        return RunOutcome.putBack(headers, retry.noHandlerDelay(), "no handler");
    }

    /** The one place that decides what becomes of a run that ended. */
    private RunOutcome decide(ManagedPipeline pipeline, Execution execution, Throwable failure, int timeout) {
        Job job = execution.job;
        Execution.Cancel cancel = execution.cancelReason();
        Execution.Decision decision = execution.decision();
        PipelineCounters counters = pipeline.counters;
        if (cancel == Execution.Cancel.HANDLER_GONE) {
            LOG.info("pipeline '{}': handler of job {} went away while it ran; requeued", pipeline.name, job.id());
            return RunOutcome.putBack(job.headers(), 0, "handler went away");
        }
        if (job.autoAck() && (cancel == Execution.Cancel.TIMEOUT || decision != null || failure != null)) {
            // acknowledged when taken: at most once, so a failure is final
            if (cancel == Execution.Cancel.TIMEOUT) {
                counters.timedOut.increment();
            }
            if (decision == null || !decision.requeue()) {
                counters.failed.increment();
                return new RunOutcome(RunOutcome.Kind.DROP, job.headers(), 0, "auto-acked job failed and is not "
                        + "retried: " + (failure != null ? describe(failure) : cancel != null ? "timed out" : "rejected"));
            }
        }
        if (cancel == Execution.Cancel.TIMEOUT) {
            counters.timedOut.increment();
            counters.failed.increment();
            return RunOutcome.failure(pipeline.name, pipeline.retry(), job.headers(), execution.attempt(),
                    "timed out after " + timeout + " s");
        }
        if (decision != null) {
            if (decision.requeue()) {
                return RunOutcome.putBack(decision.headers(), decision.delay(), "requeued by its handler");
            }
            counters.failed.increment();
            return RunOutcome.lastAttempt(pipeline.name, pipeline.retry(), job.headers(), execution.attempt(),
                    "rejected by its handler");
        }
        if (failure != null) {
            counters.failed.increment();
            if (LOG.isDebugEnabled()) {
                LOG.debug("pipeline '{}': job {} failed", pipeline.name, job.id(), failure);
            }
            return RunOutcome.failure(pipeline.name, pipeline.retry(), job.headers(), execution.attempt(),
                    describe(failure));
        }
        counters.processed.increment();
        return RunOutcome.ack();
    }

    /**
     * Carries out an outcome. An auto-acked job was settled when it was taken: nothing is settled again, and a job
     * that must run again goes back as a copy.
     */
    private void carryOut(ManagedPipeline pipeline, Job job, int attempt, RunOutcome outcome) {
        PipelineCounters counters = pipeline.counters;
        switch (outcome.kind()) {
        case ACK:
            if (!job.autoAck()) {
                settle(job, Settlement.ack());
            }
            break;
        case RETRY:
            counters.requeued.increment();
            LOG.info("pipeline '{}': job {} ({}) failed on attempt {}/{}, retried in {} s: {}", pipeline.name,
                    job.id(), job.name(), attempt, pipeline.retry().maxAttempts(), outcome.delay(), outcome.reason());
            putBack(pipeline, job, outcome.headers(), outcome.delay());
            post("job/RETRIED", pipeline, job, attempt, outcome.reason());
            break;
        case PUT_BACK:
            counters.requeued.increment();
            putBack(pipeline, job, outcome.headers(), outcome.delay());
            break;
        case DEAD_LETTER:
            deadLetter(pipeline, job, attempt, outcome);
            break;
        case DROP:
            LOG.error("pipeline '{}': job {} ({}) failed on its last attempt {} and is dropped: {}", pipeline.name,
                    job.id(), job.name(), attempt, outcome.reason());
            if (!job.autoAck()) {
                settle(job, Settlement.reject());
            }
            post("job/FAILED", pipeline, job, attempt, outcome.reason());
            break;
        default:
            throw new IllegalStateException(outcome.toString());
        }
    }

    private void deadLetter(ManagedPipeline pipeline, Job job, int attempt, RunOutcome outcome) {
        String target = pipeline.retry().deadLetterPipeline();
        Message letter = job.context().toBuilder().pipeline(target).headers(outcome.headers()).delay(0).build();
        ManagedPipeline deadLetters = pipelines.apply(target);
        CompletionStage<Void> pushed = deadLetters == null
                ? CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNKNOWN_PIPELINE,
                        "dead-letter pipeline '" + target + "' of pipeline '" + pipeline.name + "' does not exist"))
                : deadLetters.push(letter);
        // the push may complete on a broker's I/O thread: settle from the runtime's own threads
        pushed.whenCompleteAsync((ok, error) -> {
            if (error == null) {
                pipeline.counters.deadLettered.increment();
                LOG.warn("pipeline '{}': job {} ({}) failed on its last attempt {} and went to '{}': {}",
                        pipeline.name, job.id(), job.name(), attempt, target, outcome.reason());
                if (!job.autoAck()) {
                    settle(job, Settlement.ack());
                }
                post("job/DEAD_LETTERED", pipeline, job, attempt, outcome.reason());
            } else {
                int delay = pipeline.retry().maxDelay();
                LOG.error("pipeline '{}': job {} could not be dead-lettered ({}); kept and retried in {} s",
                        pipeline.name, job.id(), error.getMessage(), delay);
                putBack(pipeline, job, job.headers(), delay);
            }
        }, callbacks);
    }

    /** Puts a job back into its pipeline after a delay, whatever became of its driver meanwhile. */
    private void putBack(ManagedPipeline pipeline, Job job, Map<String, List<String>> headers, int delay) {
        Message copy = job.context().toBuilder().headers(headers).delay(delay).build();
        if (job.autoAck()) {
            // the delivery is already acknowledged: only a copy can go back
            pipeline.keep(copy);
            return;
        }
        Custody custody;
        try {
            custody = job.settle(Settlement.requeue(headers, delay));
        } catch (RuntimeException e) {
            // a driver bug: whether it stored the job is unknown, so keep a copy (at least once)
            LOG.error("pipeline '{}': driver failed to requeue job {}; the runtime keeps a copy", pipeline.name,
                    job.id(), e);
            custody = Custody.RUNTIME;
        }
        if (custody != Custody.DRIVER && custody != Custody.BROKER && custody != Custody.DONE) {
            pipeline.keep(copy); // the driver stopped: the next one gets it
        }
    }

    private static Custody settle(Job job, Settlement settlement) {
        try {
            return job.settle(settlement);
        } catch (RuntimeException e) {
            LOG.warn("job {} of pipeline '{}' could not be settled ({}): {}", job.id(), job.groupId(), settlement,
                    e.toString());
            return Custody.RUNTIME;
        }
    }

    private void post(String topic, ManagedPipeline pipeline, Job job, int attempt, String reason) {
        EventSink sink = events.get();
        if (sink == null) {
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("pipeline", pipeline.name);
        props.put("job.id", job.id());
        props.put("job.name", job.name());
        props.put("attempt", attempt);
        props.put("reason", reason);
        sink.post(topic, props);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
