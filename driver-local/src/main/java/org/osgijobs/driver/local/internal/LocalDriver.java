package org.osgijobs.driver.local.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable driver of one pipeline: every job lives in the pipeline's {@link JobStore} file from its push until
 * it is settled, and only its key and order are kept in memory ({@link JobIndex}). Ready jobs move into the runtime's
 * queue while the pipeline consumes, read from the file as they go.
 * <p>
 * <b>Delivery.</b> A push completes once its job is committed ({@link GroupCommit}, forced to disk by the
 * {@code sync} policy). {@code prefetch} bounds the jobs handed to the runtime whose settlement is not yet committed:
 * a slot is freed only after the commit that removes the settled job, so after a crash at most {@code prefetch}
 * jobs run again. At the next start, jobs that a worker had taken go back to ready with their attempt counted.
 * <p>
 * <b>Locking.</b> One lock guards the index, the counters and the waiting pushes; under it only in-memory map
 * operations of the store run (MVStore's maps are in memory until a commit), never a commit or a force, and the
 * runtime's queue is only offered to. Push stages complete on the commit thread.
 */
final class LocalDriver implements Driver, GroupCommit.Listener {
    static final String NAME = "local";
    /** Pushes that may wait at once for room in a full pipeline; beyond, a push fails at once. */
    static final int MAX_WAITING_PUSHES = 1_000;
    /** How soon to retry moving ready jobs when the runtime's queue was full (no settlement may come to do it). */
    static final long RETRY_MILLIS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(LocalDriver.class);

    private final String name;
    private final LocalOptions options;
    private final JobStore store;
    private final Queue queue;
    private final ScheduledExecutorService timer;
    private final GroupCommit commits;
    // settled jobs whose removal from the file is not yet committed; their slots are freed after the commit
    private final AtomicInteger settledUncommitted = new AtomicInteger();
    // jobs a worker took and has not settled
    private final AtomicInteger atWorkers = new AtomicInteger();
    // jobs taken since the last commit, whose mark the commit thread writes unless they were settled meanwhile (a
    // queue rather than a set: a take is one lock-free append, and a settlement need not find and remove its job)
    private final java.util.concurrent.ConcurrentLinkedQueue<LocalJob> takenSinceCommit =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private final JobIndex index = new JobIndex();
    private final ArrayDeque<WaitingPush> waitingPushes = new ArrayDeque<>();
    private int slotsTaken; // handed to the runtime and not yet committed as settled: what prefetch bounds
    private int outstanding; // handed to the runtime and not settled: in its queue or at a worker
    private boolean consuming;
    private boolean stopped;
    private String failure;
    private ScheduledFuture<?> wakeup;
    private long wakeupDue = Long.MAX_VALUE;
    private ScheduledFuture<?> retry;

    /**
     * Reads the file's jobs (see {@link JobStore#recover()}) and starts its commit thread.
     *
     * @param store the pipeline's file, open; closed by {@link #stop()}
     */
    LocalDriver(String name, LocalOptions options, JobStore store, Queue queue, ScheduledExecutorService timer) {
        this.name = name;
        this.options = options;
        this.store = store;
        this.queue = queue;
        this.timer = timer;
        JobStore.Recovered recovered = store.recover();
        long now = System.currentTimeMillis();
        for (JobRecord record : recovered.jobs()) {
            index.add(record, now);
        }
        this.commits = new GroupCommit(store, options.sync(), this, name);
        if (!recovered.jobs().isEmpty() || recovered.unreadable() > 0) {
            LOG.info("pipeline '{}': {} jobs in {} ({} ready, {} delayed){}{}", name, recovered.jobs().size(),
                    store.file(), index.readyCount(), index.delayedCount(),
                    recovered.wereRunning() > 0 ? "; " + recovered.wereRunning() + " were running at the last stop "
                            + "and run again, their attempt counted" : "",
                    recovered.unreadable() > 0 ? "; " + recovered.unreadable() + " cannot be read (logged)" : "");
        }
        lock.lock();
        try {
            scheduleWakeup();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        if (message == null) {
            return failed(JobsException.Kind.BAD_INPUT, "no job given");
        }
        if (!name.equals(message.pipeline())) {
            return failed(JobsException.Kind.BAD_INPUT, "local driver got job '" + message.name()
                    + "' for pipeline '" + message.pipeline() + "'");
        }
        lock.lock();
        try {
            if (stopped) {
                return failed(JobsException.Kind.UNAVAILABLE, "local driver is stopped");
            }
            if (failure != null) {
                return failed(JobsException.Kind.UNAVAILABLE, failure);
            }
            if (store.size() >= options.maxJobs()) {
                return waitForRoom(message);
            }
            store(message);
            // asked under the lock: a stop that comes next (it takes the lock first) then finds this push waiting
            // for its commit and writes it. Asked after the lock, the push could fail as "stopped" while the stop
            // wrote its job all the same, and the runtime's retry on the next driver ran the job twice.
            return commits.flush();
        } catch (JobsException e) {
            return CompletableFuture.failedStage(e); // full: the pipeline's bound, not a failure of its file
        } catch (RuntimeException e) {
            return CompletableFuture.failedStage(storeFailed(e));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run(Pipeline pipeline) {
        start(pipeline.name());
    }

    @Override
    public void resume(String pipeline) {
        start(pipeline);
    }

    @Override
    public void pause(String pipeline) {
        checkName(pipeline);
        List<Job> foreign;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            consuming = false;
            foreign = withdraw();
        } finally {
            lock.unlock();
        }
        putBack(foreign);
    }

    /** Ends consumption and closes the file, which keeps every job: nothing is handed back to the runtime. */
    @Override
    public List<Message> stop() {
        List<Job> foreign;
        List<WaitingPush> admitted;
        lock.lock();
        try {
            if (stopped) {
                return List.of();
            }
            stopped = true;
            consuming = false;
            cancel(wakeup);
            cancel(retry);
            foreign = withdrawQuietly();
            admitted = new ArrayList<>(waitingPushes);
            waitingPushes.clear();
            // pushes that waited for room are kept: the next driver of this file runs them
            for (WaitingPush waiting : admitted) {
                waiting.expiry.cancel(false);
                if (failure == null) {
                    store(waiting.message);
                }
            }
        } catch (RuntimeException e) {
            storeFailed(e);
            admitted = List.of();
            foreign = List.of();
        } finally {
            lock.unlock();
        }
        putBack(foreign);
        try {
            commits.close(options.timeoutSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JobsException closeFailure = closeStore();
        for (WaitingPush waiting : admitted) {
            if (closeFailure == null) {
                waiting.done.complete(null);
            } else {
                waiting.done.completeExceptionally(closeFailure);
            }
        }
        LOG.debug("pipeline '{}': local driver stopped, its jobs stay in {}", name, store.file());
        return List.of();
    }

    /**
     * What a crash (kill -9) leaves: the file as of the last commit, nothing written after it. The driver refuses
     * everything afterwards. For tests of recovery; a runtime never calls it.
     */
    void crash() {
        lock.lock();
        try {
            stopped = true;
            consuming = false;
            cancel(wakeup);
            cancel(retry);
            store.closeWithoutWriting();
        } finally {
            lock.unlock();
        }
        try {
            commits.close(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    JobStore store() {
        return store;
    }

    /** @return whether every change made so far is committed (tests that then simulate a crash) */
    boolean allCommitted() {
        lock.lock();
        try {
            return takenSinceCommit.isEmpty() && settledUncommitted.get() == 0 && !store.hasPendingChanges()
                    && !store.hasUnsavedChanges();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public State state() {
        lock.lock();
        try {
            int running = Math.min(outstanding, Math.max(0, atWorkers.get()));
            return State.builder(name).driver(NAME).queue(store.file().getFileName().toString())
                    .active(index.readyCount() + outstanding - running).delayed(index.delayedCount())
                    .reserved(running).ready(consuming && failure == null).priority(options.priority())
                    .errorMessage(failure == null ? "" : failure).build();
        } finally {
            lock.unlock();
        }
    }

    // ---- the jobs' side

    /**
     * A worker took the job: recorded in the file with the next commit, so that a crash while it runs counts an
     * attempt. The mark waits in memory until then: a job settled before the next commit writes no mark at all.
     */
    void jobTaken(LocalJob job) {
        atWorkers.incrementAndGet();
        takenSinceCommit.add(job);
        commits.commitSoon();
    }

    Custody settle(LocalJob job, Settlement settlement) {
        lock.lock();
        try {
            int before = job.settleOnce();
            if (before == LocalJob.SETTLED) {
                return Custody.DONE; // settled once already: a second outcome is ignored
            }
            if (before == LocalJob.TAKEN) {
                atWorkers.decrementAndGet();
            }
            if (!job.belongsTo(this) || stopped || failure != null) {
                // the file still holds the job and the next driver of it runs the job again, its attempt counted:
                // its taken mark is still written if the last commit has not written it yet
                job.settledOutsideTheFile();
                return Custody.BROKER;
            }
            outstanding--;
            long sequence = job.record().sequence();
            if (settlement.kind() == Settlement.Kind.ACK || settlement.kind() == Settlement.Kind.REJECT) {
                store.settle(sequence);
            } else {
                // a requeue (or a kind this driver does not know, which loses nothing): stored again as a new job
                // behind the ready ones, in the same commit as the removal of the old one
                JobRecord again = newRecord(job.record().message().toBuilder().headers(
                        settlement.kind() == Settlement.Kind.REQUEUE ? settlement.headers() : job.headers()).build(),
                        job.priority(), settlement.delay());
                store.settle(sequence);
                store.put(again);
                index.add(again, System.currentTimeMillis());
                scheduleWakeup();
                pump();
            }
            settledUncommitted.incrementAndGet();
            commits.commitSoon();
            return settlement.kind() == Settlement.Kind.REQUEUE ? Custody.DRIVER : Custody.DONE;
        } catch (RuntimeException e) {
            storeFailed(e);
            return Custody.BROKER;
        } finally {
            lock.unlock();
        }
    }

    // ---- the commit thread's side

    @Override
    public int beforeCommit() {
        // under the lock, so that no settlement removes a job between our check and its mark, and the token counts
        // exactly the settlements that this commit writes
        lock.lock();
        try {
            LocalJob job;
            while ((job = takenSinceCommit.poll()) != null) {
                // a job settled before this commit needs no mark (its settlement happened under this lock)
                if (failure == null && (job.isTaken() || job.isSettledOutsideTheFile())) {
                    // also after a stop: a job still running then counts its attempt
                    store.markTaken(job.record().sequence());
                }
            }
            if (failure == null) {
                // one batch put and one bit set per touched batch: in-memory map operations, once per commit
                store.apply();
            }
            return settledUncommitted.getAndSet(0);
        } catch (JobsException e) {
            throw e;
        } catch (RuntimeException e) {
            // MVStore closes itself when a write fails; the commit thread fails the pipeline with this
            throw StoreErrors.onWrite("file " + store.file() + ": ", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void committed(int settled) {
        if (settled == 0) {
            return;
        }
        lock.lock();
        try {
            slotsTaken -= settled;
            pump();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void failed(JobsException e) {
        List<WaitingPush> waiting;
        boolean wasStopped;
        lock.lock();
        try {
            wasStopped = stopped;
            failure = e.getMessage();
            waiting = new ArrayList<>(waitingPushes);
            waitingPushes.clear();
        } finally {
            lock.unlock();
        }
        if (!wasStopped) {
            LOG.error("pipeline '{}': {}; pushes are refused until the pipeline is restarted", name, e.getMessage());
        }
        for (WaitingPush w : waiting) {
            w.expiry.cancel(false);
            w.done.completeExceptionally(e);
        }
    }

    // ---- internals, lock held unless said otherwise

    private void store(Message message) {
        JobRecord record = newRecord(message, message.priority() != 0 ? message.priority() : options.priority(),
                message.delay());
        store.put(record);
        index.add(record, System.currentTimeMillis());
        if (record.delayed()) {
            scheduleWakeup();
        } else {
            pump();
        }
    }

    private JobRecord newRecord(Message message, long priority, int delaySeconds) {
        // + 1: the clock's millisecond may be almost over, and a job must never run before its delay has passed
        long due = delaySeconds > 0 ? System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(delaySeconds) + 1 : 0;
        Message stored = message.delay() == 0 ? message : message.toBuilder().delay(0).build();
        return new JobRecord(store.nextSequence(), stored, priority, due);
    }

    private void start(String pipeline) {
        checkName(pipeline);
        lock.lock();
        try {
            if (stopped) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "local driver is stopped");
            }
            consuming = true;
            pump();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves ready jobs into the runtime's queue while there is room in both. Runs on any thread (workers settling,
     * the commit thread, the timer), so it only offers; when the queue is full, a retry is scheduled.
     */
    private void pump() {
        while (consuming && failure == null && slotsTaken < options.prefetch()) {
            JobIndex.Entry next = index.firstReady();
            if (next == null) {
                break;
            }
            JobRecord record = next.record != null ? next.record : store.read(next.sequence);
            if (record == null) {
                index.removeReady(next); // unreadable (logged) or gone: it stays in the file, it cannot run
                continue;
            }
            if (!queue.offer(new LocalJob(this, record, next))) {
                scheduleRetry();
                break;
            }
            index.removeReady(next);
            slotsTaken++;
            outstanding++;
        }
        admitWaiting();
    }

    /**
     * Takes this pipeline's not-yet-taken jobs back from the runtime's queue. Jobs of an earlier local driver of
     * the pipeline are dropped: their file keeps them.
     *
     * @return jobs of another driver kind, to be put back after the lock
     */
    private List<Job> withdraw() {
        List<Job> foreign = List.of();
        for (Job job : queue.withdraw()) {
            if (job instanceof LocalJob local) {
                if (local.belongsTo(this) && local.withdrawn()) {
                    // back to its place; a new LocalJob is made when it moves again
                    index.putBack(local.entry());
                    slotsTaken--;
                    outstanding--;
                }
            } else {
                if (foreign.isEmpty()) {
                    foreign = new ArrayList<>();
                }
                foreign.add(job);
            }
        }
        return foreign;
    }

    private List<Job> withdrawQuietly() {
        try {
            return withdraw();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': could not withdraw jobs from the runtime's queue on stop", name, e);
            return List.of();
        }
    }

    /** Returns jobs of another driver kind to the queue, or to their driver when it is full. Lock not held. */
    private void putBack(List<Job> foreign) {
        for (Job job : foreign) {
            if (!queue.offer(job)) {
                LOG.warn("pipeline '{}': runtime queue full, returning job {} to its driver", name, job.id());
                if (job.settle(Settlement.requeue(job.headers(), 0)) == Custody.RUNTIME) {
                    LOG.error("pipeline '{}': job {} of a stopped driver is lost: the queue is full", name,
                            job.id());
                }
            }
        }
    }

    private CompletionStage<Void> waitForRoom(Message message) {
        if (waitingPushes.size() >= MAX_WAITING_PUSHES || options.timeoutSeconds() == 0) {
            throw full();
        }
        WaitingPush waiting = new WaitingPush(message);
        try {
            waiting.expiry = timer.schedule(() -> expire(waiting), options.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw full();
        }
        waitingPushes.add(waiting);
        return waiting.done;
    }

    private void expire(WaitingPush waiting) {
        boolean removed;
        lock.lock();
        try {
            removed = waitingPushes.remove(waiting);
        } finally {
            lock.unlock();
        }
        if (removed) {
            waiting.done.completeExceptionally(full());
        }
    }

    /** Room was made: waiting pushes are stored in their order, and complete with the commit that holds them. */
    private void admitWaiting() {
        while (!waitingPushes.isEmpty() && !stopped && failure == null && store.size() < options.maxJobs()) {
            WaitingPush next = waitingPushes.poll();
            next.expiry.cancel(false);
            store(next.message);
            commits.flush().whenComplete((ok, e) -> {
                if (e == null) {
                    next.done.complete(null);
                } else {
                    next.done.completeExceptionally(e);
                }
            });
        }
    }

    private JobsException full() {
        return new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "full: " + options.maxJobs()
                + " jobs are in " + store.file() + " (max_jobs=" + options.maxJobs()
                + ") and the push could not wait longer"
                + (options.timeoutSeconds() > 0 ? " than " + options.timeoutSeconds() + " s" : "")
                + "; retry later or raise max_jobs");
    }

    /** A push into a full pipeline, waiting for room. */
    private static final class WaitingPush {
        final Message message;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> expiry;

        WaitingPush(Message message) {
            this.message = message;
        }
    }

    /** Keeps one timer task, due when the earliest delayed job is. */
    private void scheduleWakeup() {
        long next = index.nextDue();
        if (stopped || next == Long.MAX_VALUE || (wakeup != null && wakeupDue <= next)) {
            return;
        }
        cancel(wakeup);
        try {
            wakeup = timer.schedule(this::releaseDue, Math.max(0, next - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
            wakeupDue = next;
        } catch (RejectedExecutionException e) {
            wakeup = null;
            LOG.warn("pipeline '{}': timer unavailable; {} delayed jobs stay in the file until the next start", name,
                    index.delayedCount());
        }
    }

    private void releaseDue() {
        lock.lock();
        try {
            wakeup = null;
            wakeupDue = Long.MAX_VALUE;
            if (stopped) {
                return;
            }
            index.releaseDue(System.currentTimeMillis());
            scheduleWakeup();
            pump();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': releasing delayed jobs failed", name, e);
        } finally {
            lock.unlock();
        }
    }

    private void scheduleRetry() {
        if (retry != null && !retry.isDone() || stopped) {
            return;
        }
        try {
            retry = timer.schedule(this::retryPump, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("pipeline '{}': timer unavailable, ready jobs move on the next push or settlement", name);
        }
    }

    private void retryPump() {
        lock.lock();
        try {
            retry = null;
            pump();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': moving ready jobs failed", name, e);
        } finally {
            lock.unlock();
        }
    }

    /** The file failed under an in-memory operation (MVStore closes itself after a failed write). */
    private JobsException storeFailed(RuntimeException e) {
        JobsException failureException = e instanceof JobsException jobs ? jobs
                : StoreErrors.onWrite("file " + store.file() + ": ", e);
        if (failure == null && !stopped) {
            failure = failureException.getMessage();
            LOG.error("pipeline '{}': {}", name, failure);
        }
        return failureException;
    }

    /** Commits, forces and closes the file. Lock not held. @return the failure, or {@code null} */
    private JobsException closeStore() {
        try {
            if (!store.isClosed()) {
                lock.lock();
                try {
                    if (failure == null) {
                        store.apply(); // what came after the commit thread's last commit (a push racing the stop)
                    }
                } catch (RuntimeException e) {
                    throw StoreErrors.onWrite("file " + store.file() + ": ", e);
                } finally {
                    lock.unlock();
                }
                store.commit(true);
            }
            return null;
        } catch (JobsException e) {
            LOG.error("pipeline '{}': {}", name, e.getMessage());
            return e;
        } finally {
            store.close();
        }
    }

    private CompletionStage<Void> failed(JobsException.Kind kind, String why) {
        return CompletableFuture.failedStage(new JobsException(kind, why.startsWith("pipeline '") ? why
                : prefix() + why));
    }

    private void checkName(String pipeline) {
        if (!name.equals(pipeline)) {
            throw new JobsException(prefix() + "local driver cannot serve pipeline '" + pipeline + "'");
        }
    }

    private String prefix() {
        return "pipeline '" + name + "': ";
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
