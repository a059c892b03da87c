package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.Message;
import org.osgijobs.api.PushResult;

/**
 * The producer's side of the runtime: finds a push's pipeline, checks the job, waits for the driver's answer
 * within {@code timeout} (or hands it over asynchronously) and says what kind of failure a refusal is. Stages given
 * back to producers never complete on a driver's I/O thread.
 */
final class Producer {
    /**
     * Drivers bound their own waits by the same {@code timeout} and fail with the better reason (no connection,
     * broker nack); the runtime waits a little longer so that their message, not a bare timeout, reaches the caller.
     */
    private static final long DRIVER_GRACE_MILLIS = PipelineManager.GRACE_MILLIS;

    private final PipelineManager manager;
    private final Supplier<RuntimeSettings> settings;
    private final Executor callbacks;

    private final Observers observers;
    private final Tracing tracing;
    private final PushDeadlines deadlines;

    Producer(PipelineManager manager, Supplier<RuntimeSettings> settings, Executor callbacks, Observers observers,
            Tracing tracing, PushDeadlines deadlines) {
        this.manager = manager;
        this.settings = settings;
        this.callbacks = callbacks;
        this.observers = observers;
        this.tracing = tracing;
        this.deadlines = deadlines;
    }

    void push(Message message) {
        long start = System.nanoTime();
        ManagedPipeline pipeline = target(message, start);
        Tracing.Push traced = tracing.push(message);
        try {
            push(pipeline, traced.message(), start);
            traced.end(null);
        } catch (JobsException e) {
            traced.end(e);
            throw e;
        }
    }

    private void push(ManagedPipeline pipeline, Message message, long start) {
        int timeout = settings.get().timeout();
        try {
            pipeline.push(message).toCompletableFuture().get(TimeUnit.SECONDS.toMillis(timeout)
                    + DRIVER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            pipeline.counters.pushed.increment();
            observers.pushed(pipeline.name, System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(pipeline, start, new JobsException(Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline.name
                    + "': interrupted while pushing job " + message.id()));
        } catch (ExecutionException e) {
            throw failed(pipeline, start, pushFailure(pipeline, message, e.getCause()));
        } catch (TimeoutException e) {
            throw failed(pipeline, start, notStoredInTime(pipeline, message, timeout));
        }
    }

    /** Counts a failed push and tells the observers. */
    private JobsException failed(ManagedPipeline pipeline, long start, JobsException failure) {
        pipeline.counters.pushErrors.increment();
        observers.pushFailed(pipeline.name, System.nanoTime() - start, failure.kind());
        return failure;
    }

    CompletionStage<Void> pushAsync(Message message) {
        long start = System.nanoTime();
        ManagedPipeline pipeline;
        try {
            pipeline = target(message, start);
        } catch (JobsException e) {
            return CompletableFuture.failedFuture(e);
        }
        Tracing.Push traced = tracing.push(message);
        if (traced.span() == null) {
            return pushAsync(pipeline, message, start);
        }
        CompletableFuture<Void> pushed = pushAsync(pipeline, traced.message(), start).toCompletableFuture();
        pushed.whenComplete((ok, failure) -> traced.end(failure instanceof CompletionException
                && failure.getCause() != null ? failure.getCause() : failure));
        return pushed;
    }

    private CompletionStage<Void> pushAsync(ManagedPipeline pipeline, Message message, long start) {
        CompletableFuture<Void> stored = pipeline.push(message).toCompletableFuture();
        if (stored.isDone()) {
            // settled already (an in-process driver): complete on the caller's thread, no hand-off
            return settledPush(pipeline, message, stored, start);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletableFuture<Void> watched = stored.copy();
        deadlines.watch(watched, System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.get().timeout())
                + TimeUnit.MILLISECONDS.toNanos(DRIVER_GRACE_MILLIS));
        watched.whenCompleteAsync((ok, failure) -> {
                    if (failure == null) {
                        pipeline.counters.pushed.increment();
                        observers.pushed(pipeline.name, System.nanoTime() - start);
                        result.complete(null);
                    } else {
                        result.completeExceptionally(failed(pipeline, start,
                                asyncFailure(pipeline, message, failure)));
                    }
                }, callbacks);
        return result;
    }

    private CompletableFuture<Void> settledPush(ManagedPipeline pipeline, Message message,
            CompletableFuture<Void> stored, long start) {
        try {
            stored.join();
            pipeline.counters.pushed.increment();
            observers.pushed(pipeline.name, System.nanoTime() - start);
            return stored;
        } catch (CompletionException | CancellationException e) {
            return CompletableFuture.failedFuture(failed(pipeline, start, asyncFailure(pipeline, message, e)));
        }
    }

    private JobsException asyncFailure(ManagedPipeline pipeline, Message message, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause instanceof TimeoutException ? notStoredInTime(pipeline, message, settings.get().timeout())
                : pushFailure(pipeline, message, cause);
    }

    List<PushResult> pushBatch(List<Message> messages) {
        if (messages == null) {
            throw new JobsException(Kind.BAD_INPUT, "pushBatch: messages are required");
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
                results.add(PushResult.accepted(id));
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                results.add(PushResult.failed(id, cause instanceof JobsException ? (JobsException) cause
                        : new JobsException("push of job " + id + " failed: " + cause, cause)));
            }
        }
        return results;
    }

    private ManagedPipeline target(Message message, long start) {
        if (message == null) {
            throw new JobsException(Kind.BAD_INPUT, "push: message is required");
        }
        String name = message.pipeline();
        if (name == null || name.isBlank()) {
            throw new JobsException(Kind.BAD_INPUT, "job '" + message.name() + "' (" + message.id()
                    + "): no pipeline given");
        }
        ManagedPipeline pipeline = manager.get(name);
        if (pipeline == null) {
            throw new JobsException(Kind.UNKNOWN_PIPELINE, "unknown pipeline '" + name + "' (job '"
                    + message.name() + "', " + message.id() + ")");
        }
        int max = settings.get().maxJobSize();
        if (message.payloadSize() > max) {
            throw failed(pipeline, start, new JobsException(Kind.BAD_INPUT, "pipeline '" + name + "': job '" + message.name() + "' ("
                    + message.id() + ") has a payload of " + message.payloadSize() + " bytes, over max_job_size "
                    + max));
        }
        return pipeline;
    }

    private static JobsException pushFailure(ManagedPipeline pipeline, Message message, Throwable cause) {
        if (cause instanceof JobsException) {
            return (JobsException) cause;
        }
        return new JobsException("pipeline '" + pipeline.name + "': push of job " + message.id() + " failed: "
                + cause.getMessage(), cause);
    }

    private static JobsException notStoredInTime(ManagedPipeline pipeline, Message message, int timeout) {
        return new JobsException(Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline.name + "': job " + message.id()
                + " was not confirmed within " + timeout + " s (timeout); it may have been stored");
    }
}
