package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.handler.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool: threads that take jobs from the shared queue, run them in the best handler and settle them
 * (ack, retry with backoff, dead-letter, requeue when no handler is there).
 * <p>
 * Pushes that a worker would otherwise make itself (dead letters, jobs kept after their driver stopped) go through
 * the single {@code relay} thread: a worker blocked on a full queue could never drain it.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long POLL_MILLIS = 200;

    /** Header naming the pipeline a dead-lettered job failed in. */
    static final String DEAD_LETTER_FROM_HEADER = "x-jobs-dead-letter-from";
    /** Header carrying the last failure of a dead-lettered job. */
    static final String ERROR_HEADER = "x-jobs-error";

    private final PriorityJobQueue queue;
    private final Function<String, ManagedPipeline> pipelines;
    private final HandlerRegistry handlers;
    private final ScheduledExecutorService timers;
    private final ExecutorService relay;
    private final Supplier<EventSink> events;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private volatile int globalJobTimeout;
    private int nextWorkerId;

    Dispatcher(PriorityJobQueue queue, Function<String, ManagedPipeline> pipelines, HandlerRegistry handlers,
            ScheduledExecutorService timers, ExecutorService relay, Supplier<EventSink> events) {
        this.queue = queue;
        this.pipelines = pipelines;
        this.handlers = handlers;
        this.timers = timers;
        this.relay = relay;
        this.events = events;
    }

    void setGlobalJobTimeout(int seconds) {
        this.globalJobTimeout = seconds;
    }

    /** Grows or shrinks the pool; a retired worker finishes its current job first. */
    synchronized void setWorkers(int count) {
        while (workers.size() < count) {
            Worker worker = new Worker();
            Thread thread = new Thread(worker, "jobs-worker-" + nextWorkerId++);
            thread.setDaemon(true);
            worker.thread = thread;
            workers.add(worker);
            thread.start();
        }
        while (workers.size() > count) {
            Worker worker = workers.remove(workers.size() - 1);
            worker.retired = true;
        }
    }

    /**
     * Stops all workers: they finish their current job within the given time, then are interrupted.
     */
    synchronized void shutdown(long waitMillis) {
        List<Worker> stopping = new ArrayList<>(workers);
        workers.clear();
        stopping.forEach(w -> w.retired = true);
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

    private final class Worker implements Runnable {
        volatile boolean retired;
        volatile Execution current;
        Thread thread;

        @Override
        public void run() {
            while (!retired) {
                Job job;
                try {
                    job = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    if (retired) {
                        return;
                    }
                    continue;
                }
                if (job != null) {
                    try {
                        process(job);
                    } catch (RuntimeException | LinkageError e) {
                        // a broken driver or handler bundle must not kill the worker
                        LOG.error("worker: unexpected failure while processing job {}", job.id(), e);
                    }
                }
            }
        }

        private void process(Job job) {
            job.taken();
            ManagedPipeline pipeline = pipelines.apply(job.groupId());
            if (pipeline == null) {
                LOG.warn("job {} belongs to unknown pipeline '{}'; rejected", job.id(), job.groupId());
                settle(job::nack, job);
                return;
            }
            PipelineCounters counters = pipeline.counters;
            counters.inFlight.incrementAndGet();
            try {
                if (job.autoAck()) {
                    settle(job::ack, job);
                }
                HandlerRegistry.Registration registration = handlers.select(job.name());
                if (registration == null) {
                    counters.noHandler.increment();
                    counters.requeued.increment();
                    int delay = pipeline.retry().noHandlerDelay();
                    LOG.debug("pipeline '{}': no handler for job '{}' ({}); requeued in {} s", pipeline.name,
                            job.name(), job.id(), delay);
                    putBack(pipeline, job, job.headers(), delay);
                    return;
                }
                run(pipeline, job, registration.handler());
            } finally {
                counters.inFlight.decrementAndGet();
            }
        }

        private void run(ManagedPipeline pipeline, Job job, JobHandler handler) {
            Execution execution = new Execution(job, handler, thread);
            current = execution;
            int timeout = pipeline.jobTimeout() > 0 ? pipeline.jobTimeout() : globalJobTimeout;
            ScheduledFuture<?> watchdog = timeout > 0
                    ? timers.schedule(() -> execution.cancel(Execution.Cancel.TIMEOUT), timeout, TimeUnit.SECONDS)
                    : null;
            Throwable failure = null;
            long start = System.nanoTime();
            try {
                handler.handle(execution);
            } catch (Exception | LinkageError | AssertionError e) {
                failure = e;
            } finally {
                execution.finish();
                current = null;
                if (watchdog != null) {
                    watchdog.cancel(false);
                }
                Thread.interrupted(); // a cancellation must not leak into the next job
            }
            pipeline.counters.recordRun(System.nanoTime() - start);
            conclude(pipeline, execution, failure, timeout);
        }
    }

    private void conclude(ManagedPipeline pipeline, Execution execution, Throwable failure, int timeout) {
        Job job = execution.job;
        PipelineCounters counters = pipeline.counters;
        Execution.Cancel cancel = execution.cancelReason();
        Execution.Decision decision = execution.decision();
        if (cancel == Execution.Cancel.HANDLER_GONE) {
            counters.requeued.increment();
            LOG.info("pipeline '{}': handler of job {} went away while it ran; requeued", pipeline.name, job.id());
            putBack(pipeline, job, job.headers(), 0);
        } else if (cancel == Execution.Cancel.TIMEOUT) {
            counters.timedOut.increment();
            fail(pipeline, execution, "timed out after " + timeout + " s");
        } else if (decision != null) {
            if (decision.requeue()) {
                counters.requeued.increment();
                putBack(pipeline, job, decision.headers(), decision.delay());
            } else {
                counters.failed.increment();
                deadLetterOrDrop(pipeline, job, execution.attempt(), "rejected by its handler");
            }
        } else if (failure != null) {
            fail(pipeline, execution, describe(failure));
            if (LOG.isDebugEnabled()) {
                LOG.debug("pipeline '{}': job {} failed", pipeline.name, job.id(), failure);
            }
        } else {
            counters.processed.increment();
            if (!job.autoAck()) {
                settle(job::ack, job);
            }
        }
    }

    private void fail(ManagedPipeline pipeline, Execution execution, String reason) {
        Job job = execution.job;
        pipeline.counters.failed.increment();
        int attempt = execution.attempt();
        if (job.autoAck()) {
            LOG.warn("pipeline '{}': auto-acked job {} ({}) failed and is not retried: {}", pipeline.name, job.id(),
                    job.name(), reason);
            post("job/FAILED", pipeline, job, attempt, reason);
            return;
        }
        RetryPolicy retry = pipeline.retry();
        if (retry.retries(attempt)) {
            int delay = retry.delayAfter(attempt);
            pipeline.counters.requeued.increment();
            LOG.info("pipeline '{}': job {} ({}) failed on attempt {}/{}, retried in {} s: {}", pipeline.name,
                    job.id(), job.name(), attempt, retry.maxAttempts(), delay, reason);
            putBack(pipeline, job, Execution.withAttempt(job.headers(), attempt + 1), delay);
            post("job/RETRIED", pipeline, job, attempt, reason);
        } else {
            deadLetterOrDrop(pipeline, job, attempt, reason);
        }
    }

    private void deadLetterOrDrop(ManagedPipeline pipeline, Job job, int attempt, String reason) {
        String target = pipeline.retry().deadLetterPipeline();
        if (target == null) {
            LOG.error("pipeline '{}': job {} ({}) failed on its last attempt {} and is dropped: {}", pipeline.name,
                    job.id(), job.name(), attempt, reason);
            settle(job::nack, job);
            post("job/FAILED", pipeline, job, attempt, reason);
            return;
        }
        Map<String, List<String>> headers = Execution.withAttempt(job.headers(), attempt);
        headers.put(DEAD_LETTER_FROM_HEADER, List.of(pipeline.name));
        headers.put(ERROR_HEADER, List.of(reason));
        Message letter = job.context().toBuilder().pipeline(target).headers(headers).delay(0).build();
        relay.execute(() -> {
            ManagedPipeline deadLetters = pipelines.apply(target);
            CompletionStage<Void> pushed = deadLetters == null
                    ? CompletableFuture.failedFuture(new JobsException("dead-letter pipeline '" + target
                            + "' of pipeline '" + pipeline.name + "' does not exist"))
                    : deadLetters.push(letter);
            pushed.whenComplete((ok, error) -> {
                if (error == null) {
                    pipeline.counters.deadLettered.increment();
                    LOG.warn("pipeline '{}': job {} ({}) failed on its last attempt {} and went to '{}': {}",
                            pipeline.name, job.id(), job.name(), attempt, target, reason);
                    settle(job::ack, job);
                    post("job/DEAD_LETTERED", pipeline, job, attempt, reason);
                } else {
                    int delay = pipeline.retry().maxDelay();
                    LOG.error("pipeline '{}': job {} could not be dead-lettered ({}); kept and retried in {} s",
                            pipeline.name, job.id(), error.getMessage(), delay);
                    putBack(pipeline, job, job.headers(), delay);
                }
            });
        });
    }

    /** Puts a job back into its pipeline after a delay, whatever became of its driver meanwhile. */
    private void putBack(ManagedPipeline pipeline, Job job, Map<String, List<String>> headers, int delay) {
        if (job.autoAck()) {
            // the delivery is already acknowledged: only a copy can go back
            Message copy = job.context().toBuilder().headers(headers).delay(delay).build();
            relay.execute(() -> pipeline.keep(copy));
            return;
        }
        try {
            job.requeue(headers, delay);
        } catch (IllegalStateException stopped) {
            Message copy = job.context().toBuilder().headers(headers).delay(delay).build();
            relay.execute(() -> pipeline.keep(copy));
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': job {} could not be requeued: {}", pipeline.name, job.id(), e.getMessage());
        }
    }

    private static void settle(Runnable settlement, Job job) {
        try {
            settlement.run();
        } catch (RuntimeException e) {
            LOG.warn("job {} of pipeline '{}' could not be settled: {}", job.id(), job.groupId(), e.getMessage());
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
