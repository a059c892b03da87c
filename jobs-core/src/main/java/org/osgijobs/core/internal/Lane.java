package org.osgijobs.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.osgijobs.api.JobsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lifecycle transitions of one pipeline one after the other, on the runtime's lifecycle threads. Each
 * pipeline has its own lane, so a transition that waits (for running jobs to finish, for a broker) holds back only
 * its own pipeline, and the framework thread that asked for it returns at once.
 */
final class Lane {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final String name;
    private final Executor threads;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    Lane(String name, Executor threads) {
        this.name = name;
        this.threads = threads;
    }

    /**
     * Queues a transition behind the ones already queued.
     *
     * @return its outcome; a failure of the transition completes the future exceptionally
     */
    <T> CompletableFuture<T> submit(Callable<T> transition) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                outcome.complete(transition.call());
            } catch (JobsException e) {
                outcome.completeExceptionally(e); // expected (bad input, a refusal): whoever waits reports it
            } catch (Throwable e) {
                // a bug, in the runtime or a driver: many transitions have nobody waiting, so say it here
                LOG.error("pipeline '{}': lifecycle transition failed", name, e);
                outcome.completeExceptionally(e);
            }
        };
        boolean start;
        synchronized (this) {
            tasks.add(task);
            start = !running;
            running = true;
        }
        if (start) {
            schedule();
        }
        return outcome;
    }

    CompletableFuture<Void> run(Runnable transition) {
        return submit(() -> {
            transition.run();
            return null;
        });
    }

    private void schedule() {
        try {
            threads.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the runtime is gone: run what is left here, so that no caller waits for ever
            drain();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
