package org.osgijobs.driver.local.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgijobs.api.JobsException;

/**
 * The one thread that commits a pipeline's file. Pushes ask for a flush and complete when their job is on disk as
 * the {@link SyncPolicy} says; settlements ask for a commit without waiting for it. Whatever piled up while a commit
 * ran is written by the next one, so the commit rate adapts to the load (group commit) and no producer or worker
 * thread ever waits on the disk.
 */
final class GroupCommit {

    /** What the driver learns about each commit. Called on the commit thread, never under its monitor. */
    interface Listener {
        /** @return a token counting what the commit about to start covers; handed back to {@link #committed} */
        int beforeCommit();

        /** The changes counted by {@code token} are in the file. */
        void committed(int token);

        /** The file cannot be written any more; no later commit is tried. */
        void failed(JobsException failure);
    }

    private final JobStore store;
    private final SyncPolicy policy;
    private final Listener listener;
    private final Thread thread;
    private static final long FORCE_AT_LEAST_EVERY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
            JobStore.RETENTION_MILLIS / 2);
    private long lastForce = System.nanoTime(); // commit thread only
    /** How long a commit that no push waits to be forced gathers changes; Object.wait rounds it up to 1 ms. */
    private static final int GATHER_NANOS = 500_000;

    // guarded by this
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean wanted;
    private boolean closing;
    private JobsException failure;

    GroupCommit(JobStore store, SyncPolicy policy, Listener listener, String pipeline) {
        this.store = store;
        this.policy = policy;
        this.listener = listener;
        this.thread = new Thread(this::run, "jobs-local-commit-" + pipeline);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a stage completed once every change made before this call is committed (and forced, by policy) */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (closing) {
                done.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE,
                        "file " + store.file() + ": the local driver is stopped"));
            } else {
                waiting.add(done);
                notifyAll();
            }
        }
        return done;
    }

    /** Asks for a commit soon, without waiting for it (settlements). */
    synchronized void commitSoon() {
        if (!wanted) {
            // once is enough: waking the thread again would cut short the moment it gathers changes for
            wanted = true;
            notifyAll();
        }
    }

    /** Commits what is pending, then ends the thread; waits for it up to the given time. */
    void close(long timeout, TimeUnit unit) throws InterruptedException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        thread.join(Math.max(1, unit.toMillis(timeout)));
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (this) {
                while (!closing && waiting.isEmpty() && !wanted) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (closing && waiting.isEmpty() && !wanted) {
                    return;
                }
                if (!closing && (waiting.isEmpty() || !policy.forces())) {
                    // nobody waits for a force: gather a little more into this commit, since each commit costs
                    // the serialisation of every page it touches (commits in a tight loop doubled the CPU per job)
                    gather();
                }
                batch = waiting;
                waiting = new ArrayList<>();
                wanted = false;
            }
            try {
                if (policy == SyncPolicy.ALWAYS && batch.size() > 1) {
                    // each push its own forced commit: what 'always' promises, and what it costs
                    for (CompletableFuture<Void> one : batch) {
                        commit(true);
                        one.complete(null);
                    }
                } else {
                    commit(policy.forces() && !batch.isEmpty());
                    batch.forEach(one -> one.complete(null));
                }
            } catch (JobsException e) {
                List<CompletableFuture<Void>> later;
                synchronized (this) {
                    failure = e;
                    later = waiting;
                    waiting = new ArrayList<>();
                }
                listener.failed(e); // first: a producer that sees its push fail sees the pipeline's error too
                batch.forEach(one -> one.completeExceptionally(e));
                later.forEach(one -> one.completeExceptionally(e));
                return;
            }
        }
    }

    /** Waits a moment for more changes, without holding the monitor. Called with it held. */
    private void gather() {
        try {
            wait(0, GATHER_NANOS); // at least the time it takes another push or settlement to arrive
        } catch (InterruptedException e) {
            closing = true;
        }
    }

    private void commit(boolean force) {
        int token = listener.beforeCommit();
        long now = System.nanoTime();
        // MVStore reuses the space of chunks it no longer needs after the retention time, so a version that is
        // on disk must not be older than that: settlements' commits are forced too, at most twice per retention time
        boolean due = policy.forces() && now - lastForce > FORCE_AT_LEAST_EVERY_NANOS;
        store.commit(force || due);
        if (force || due) {
            lastForce = now;
        }
        listener.committed(token);
    }
}
