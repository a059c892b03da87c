package org.osgijobs.driver.memory.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Browsable;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process driver of one pipeline. Jobs wait in a local buffer ordered by (priority, sequence) and move into
 * the runtime's queue while the pipeline consumes, at most {@code prefetch} of them at a time (in the queue or at
 * a worker, not yet settled). The buffer and the delayed jobs together hold at most {@code max_jobs}: a push into a
 * full pipeline waits for room up to the pipeline's {@code timeout} (at most {@link #MAX_WAITING_PUSHES} at once)
 * and then fails naming the bound, so a producer that outruns the workers, or pushes into a paused pipeline, cannot
 * exhaust the heap. A push never blocks its caller: it is stored, or its stage completes later.
 * <p>
 * Locking: one lock guards the buffer, the delayed jobs, the waiting pushes and the timer tasks. The runtime's queue
 * is only called through its non-blocking methods ({@code offer}, {@code remove}). Stages of waiting pushes are
 * completed outside the lock.
 * <p>
 * The hot path takes no lock: while the pipeline consumes and nothing is buffered, a push reserves a prefetch slot
 * with a CAS and inserts the job straight into the runtime's queue, and an ack gives the slot back with an atomic
 * decrement. An ack takes the lock only to pump when something is buffered; a producer that buffers a job pumps
 * after publishing that it did, so between the two of them a freed slot is always seen.
 */
final class MemoryDriver implements Driver, Browsable {
    static final String NAME = "memory";
    static final String OPTION_PREFETCH = "prefetch";
    static final int DEFAULT_PREFETCH = 100_000;
    static final String OPTION_MAX_JOBS = "max_jobs";
    /** About 150 bytes a job beyond its payload (one MemoryJob, the id): 15 MB for a full pipeline. */
    static final int DEFAULT_MAX_JOBS = 100_000;
    /** Pushes that may wait at once for room in a full pipeline; beyond, a push fails at once. */
    static final int MAX_WAITING_PUSHES = 1_000;
    /** How soon to retry moving buffered jobs when the runtime's queue was full (no ack may come to do it). */
    static final long RETRY_MILLIS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryDriver.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final long priority;
    private final int prefetch;
    private final int maxJobs;
    private final int timeoutSeconds;
    private final Queue queue;
    private final ScheduledExecutorService timer;
    private final AtomicLong sequence = new AtomicLong();
    // handed to the runtime and not settled, in its queue or at a worker: what prefetch limits
    private final AtomicInteger handedOver = new AtomicInteger();
    // of the jobs handed over, those a worker has taken
    private final LongAdder taken = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private final ReadyJobs buffer = new ReadyJobs();
    private final JobHeap delayed = new JobHeap(MemoryJob.DUE_ORDER);
    private final ArrayDeque<WaitingPush> waitingPushes = new ArrayDeque<>();
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> wakeup;
    private long wakeupDue;
    private long wakeupGeneration;
    // written under the lock, read without it on the hot path
    private volatile boolean consuming;
    private volatile boolean stopped;
    private volatile boolean buffered; // the buffer is not empty

    /**
     * @param pipeline the pipeline's options
     * @param queue    the runtime's queue
     * @param timer    runs delayed releases and pump retries; shared by drivers, so its tasks never block
     * @throws JobsException when {@code priority} or {@code prefetch} is malformed
     */
    MemoryDriver(Pipeline pipeline, Queue queue, ScheduledExecutorService timer) {
        this.name = pipeline.name();
        this.priority = pipeline.priority();
        this.prefetch = pipeline.getInt(OPTION_PREFETCH, DEFAULT_PREFETCH);
        if (prefetch < 1) {
            throw pipeline.bad(OPTION_PREFETCH, String.valueOf(prefetch), "at least 1");
        }
        this.maxJobs = pipeline.getInt(OPTION_MAX_JOBS, DEFAULT_MAX_JOBS);
        if (maxJobs < 1) {
            throw pipeline.bad(OPTION_MAX_JOBS, String.valueOf(maxJobs), "at least 1");
        }
        this.timeoutSeconds = Math.max(0, pipeline.getInt("timeout", 60));
        this.queue = queue;
        this.timer = timer;
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        try {
            return accept(message);
        } catch (JobsException e) {
            return CompletableFuture.failedStage(e);
        } catch (RuntimeException e) {
            // the runtime's queue failed: the caller learns it from the stage, as push promises
            return CompletableFuture.failedStage(new JobsException(prefix() + "push failed: " + e, e));
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

    @Override
    public List<Message> stop() {
        List<MemoryJob> ready;
        List<MemoryJob> waiting;
        List<Job> foreign;
        List<WaitingPush> admitted;
        lock.lock();
        try {
            if (stopped) {
                return List.of();
            }
            stopped = true;
            consuming = false;
            cancel(retry);
            cancel(wakeup);
            retry = null;
            wakeup = null;
            foreign = withdrawForStop();
            ready = buffer.drain();
            buffered = false;
            waiting = delayed.drain();
            admitted = new ArrayList<>(waitingPushes);
            waitingPushes.clear();
        } finally {
            lock.unlock();
        }
        putBack(foreign);
        // pushes that waited for room are handed back with the rest: the runtime keeps them for the next driver
        for (WaitingPush w : admitted) {
            w.expiry.cancel(false);
            if (w.job.due() != 0) {
                waiting.add(w.job);
            } else {
                ready.add(w.job);
            }
            w.done.complete(null);
        }
        long now = System.nanoTime();
        List<Message> held = new ArrayList<>(ready.size() + waiting.size());
        for (MemoryJob job : ready) {
            held.add(withDelay(job.message(), 0));
        }
        for (MemoryJob job : waiting) {
            held.add(withDelay(job.message(), secondsUntil(job.due(), now)));
        }
        LOG.debug("pipeline '{}': memory driver stopped, handing back {} jobs ({} delayed)", name, held.size(),
                waiting.size());
        return held;
    }

    @Override
    public State state() {
        lock.lock();
        try {
            // of the jobs handed over, those at a worker are reserved and those still in the queue are active
            int handed = handedOver.get();
            int atWorkers = (int) Math.min(handed, Math.max(0, taken.sum()));
            return new State(name, NAME, name, buffer.size() + handed - atWorkers, delayed.size(), atWorkers,
                    consuming, priority, "");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Message> waiting(int limit) {
        lock.lock();
        try {
            List<Message> jobs = new ArrayList<>();
            buffer.first(limit).forEach(job -> jobs.add(asWaiting(job, 0)));
            long now = System.nanoTime();
            for (MemoryJob job : delayed.first(limit - jobs.size())) {
                jobs.add(asWaiting(job, now));
            }
            return jobs;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> remove(String id) {
        lock.lock();
        try {
            MemoryJob job = buffer.remove(id);
            if (job == null) {
                job = delayed.remove(id); // a wake-up scheduled for it finds nothing due and schedules the next
            }
            if (job == null) {
                return Optional.empty();
            }
            if (buffer.isEmpty()) {
                buffered = false;
            }
            admitWaiting();
            return Optional.of(asWaiting(job, 0));
        } finally {
            lock.unlock();
        }
    }

    /** @return the stored job as a message: the delay is what is left of it ({@code now} 0: none) */
    private static Message asWaiting(MemoryJob job, long now) {
        int delay = now == 0 || job.due() == 0 ? 0
                : (int) Math.max(0, (job.due() - now + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        Message message = job.message();
        return message.delay() == delay && message.priority() == job.priority() ? message
                : message.toBuilder().delay(delay).priority(job.priority()).build();
    }

    /** A worker took one of this driver's jobs from the runtime's queue. */
    void jobTaken() {
        taken.increment();
    }

    /** A job that a worker had taken was settled (called before {@link #release()} or a requeue). */
    void takenJobSettled() {
        taken.decrement();
    }

    /** A job of this driver was acknowledged or dropped: its slot is free for the next one. */
    void release() {
        handedOver.decrementAndGet();
        if (buffered) {
            lock.lock();
            try {
                pump();
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return the pipeline this driver serves: every job it holds was pushed to it */
    String pipeline() {
        return name;
    }

    /**
     * Puts a settled job back as a new one: it goes behind the jobs of its priority that are ready now.
     * Called from worker threads, so it never blocks on the runtime's queue.
     */
    Custody requeue(MemoryJob job, Message message, int delay) {
        lock.lock();
        try {
            if (job.isSettled()) {
                return Custody.DONE; // settled once already: a second outcome is ignored
            }
            if (stopped) {
                // nothing holds the job any more: the runtime keeps it for the next driver (Driver.stop contract)
                return job.settle() ? Custody.RUNTIME : Custody.DONE;
            }
            if (!job.settle()) {
                return Custody.DONE;
            }
            handedOver.decrementAndGet();
            long now = System.nanoTime();
            MemoryJob again = MemoryJob.of(this, message, job.priority(), sequence.getAndIncrement(),
                    delay > 0 ? now + delay * NANOS_PER_SECOND : 0);
            if (delay > 0) {
                addDelayed(again);
            } else {
                addReady(again);
            }
            pump();
            return Custody.DRIVER;
        } finally {
            lock.unlock();
        }
    }

    private CompletionStage<Void> accept(Message message) {
        if (message == null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix() + "no job given");
        }
        if (message.pipeline() == null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix() + "job '" + message.name()
                    + "' names no pipeline");
        }
        if (!name.equals(message.pipeline())) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix() + "memory driver got job '"
                    + message.name() + "' for pipeline '" + message.pipeline() + "'");
        }
        long effective = message.priority() != 0 ? message.priority() : priority;
        long due = message.delay() > 0 ? System.nanoTime() + message.delay() * NANOS_PER_SECOND : 0;
        MemoryJob job = MemoryJob.of(this, message, effective, sequence.getAndIncrement(), due);
        if (due == 0 && consuming && !buffered && !stopped && reserveSlot() && offerDirectly(job)) {
            return DONE; // the hot path, without the lock
        }
        lock.lock();
        try {
            if (stopped) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "memory driver is stopped");
            }
            if (buffer.size() + delayed.size() >= maxJobs) {
                return waitForRoom(job);
            }
            store(job);
        } finally {
            lock.unlock();
        }
        return DONE;
    }

    /** Lock held: a delayed job waits in the heap, a ready one in the buffer, from which it moves on if it can. */
    private void store(MemoryJob job) {
        if (job.due() != 0) {
            addDelayed(job);
        } else {
            addReady(job);
            pump();
        }
    }

    /**
     * The fast path: hand the job straight to the runtime's queue, its prefetch slot already taken.
     *
     * @return {@code false} when the queue is full: the slot is given back and the job must be buffered
     */
    private boolean offerDirectly(MemoryJob job) {
        boolean offered;
        try {
            offered = queue.offer(job);
        } catch (RuntimeException e) {
            release();
            throw new JobsException(prefix() + "the runtime's queue refused job " + job.id() + ": " + e, e);
        }
        if (!offered) {
            handedOver.decrementAndGet();
            return false;
        }
        if (!consuming) {
            // A pause ran meanwhile and withdrew what was there, so the job just inserted must come back too.
            // After a stop it stays: it was accepted into the runtime's queue and runs once; withdrawing it then
            // could take the jobs of the pipeline's next driver along with it.
            List<Job> foreign = List.of();
            lock.lock();
            try {
                if (!stopped && !consuming) {
                    foreign = withdraw();
                }
            } finally {
                lock.unlock();
            }
            putBack(foreign);
        }
        return true;
    }

    /** Lock held: the pipeline is full; the push waits for room up to the timeout, or fails now. */
    private CompletionStage<Void> waitForRoom(MemoryJob job) {
        if (waitingPushes.size() >= MAX_WAITING_PUSHES || timeoutSeconds == 0) {
            throw full();
        }
        WaitingPush waiting = new WaitingPush(job);
        try {
            waiting.expiry = timer.schedule(() -> expire(waiting), timeoutSeconds, TimeUnit.SECONDS);
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

    /** Lock held: room was made; waiting pushes are stored in their order and completed off the lock. */
    private void admitWaiting() {
        while (!waitingPushes.isEmpty() && buffer.size() + delayed.size() < maxJobs) {
            WaitingPush next = waitingPushes.poll();
            next.expiry.cancel(false);
            if (next.job.due() != 0) {
                addDelayed(next.job);
            } else {
                addReady(next.job);
            }
            complete(next.done);
        }
    }

    private void complete(CompletableFuture<Void> done) {
        try {
            timer.execute(() -> done.complete(null));
        } catch (RejectedExecutionException e) {
            done.complete(null);
        }
    }

    private JobsException full() {
        return new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "full: " + maxJobs
                + " jobs wait in it (max_jobs=" + maxJobs + ") and the push could not wait longer"
                + (timeoutSeconds > 0 ? " than " + timeoutSeconds + " s" : "") + "; retry later or raise max_jobs");
    }

    /** A push into a full pipeline, waiting for room. */
    private static final class WaitingPush {
        final MemoryJob job;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> expiry;

        WaitingPush(MemoryJob job) {
            this.job = job;
        }
    }

    private void start(String pipeline) {
        checkName(pipeline);
        lock.lock();
        try {
            if (stopped) {
                throw new JobsException(prefix() + "memory driver is stopped");
            }
            consuming = true;
            pump();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves buffered jobs into the runtime's queue while there is room in both. Runs on any thread, worker
     * threads included, so it only offers: a blocking insert here could deadlock the workers that would drain
     * the queue. When the queue is full, a retry is scheduled because no ack of this pipeline may come.
     */
    private void pump() {
        while (true) {
            while (consuming && !buffer.isEmpty() && reserveSlot()) {
                if (!queue.offer(buffer.peek())) {
                    handedOver.decrementAndGet();
                    scheduleRetry();
                    break;
                }
                buffer.poll();
            }
            int before = buffer.size();
            admitWaiting();
            if (buffer.size() == before || !consuming || handedOver.get() >= prefetch) {
                break;
            }
        }
        buffered = !buffer.isEmpty();
    }

    /** Takes a prefetch slot if one is free; the slot is ours before the job moves, so prefetch always holds. */
    private boolean reserveSlot() {
        int current;
        do {
            current = handedOver.get();
            if (current >= prefetch) {
                return false;
            }
        } while (!handedOver.compareAndSet(current, current + 1));
        return true;
    }

    /** Buffers a ready job, publishing that the buffer is not empty before any pump reads the slots. Lock held. */
    private void addReady(MemoryJob job) {
        buffer.add(job);
        buffered = true;
    }

    /**
     * Takes this pipeline's not-yet-taken jobs back from the runtime's queue into the buffer; they keep their
     * sequence, so order is preserved. Lock held.
     *
     * @return jobs of the pipeline's name that are not this driver's: they must go back after the lock
     */
    private List<Job> withdraw() {
        List<Job> foreign = List.of();
        for (Job job : queue.withdraw()) {
            if (job instanceof MemoryJob mine && mine.belongsTo(this)) {
                addReady(mine);
                handedOver.decrementAndGet();
            } else if (job instanceof MemoryJob orphan) {
                // left by a stopped predecessor whose push raced its stop: nobody else holds it, so adopt it
                addReady(MemoryJob.of(this, orphan.message(), orphan.priority(), sequence.getAndIncrement(), 0));
            } else {
                if (foreign.isEmpty()) {
                    foreign = new ArrayList<>();
                }
                foreign.add(job);
            }
        }
        return foreign;
    }

    /** Like {@link #withdraw()}, but a failing queue must not cost the jobs that the buffer holds. Lock held. */
    private List<Job> withdrawForStop() {
        try {
            return withdraw();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': could not withdraw jobs from the runtime's queue on stop", name, e);
            return List.of();
        }
    }

    /** Returns jobs of another driver kind to the queue; without room, to their own driver. Lock not held. */
    private void putBack(List<Job> foreign) {
        for (Job job : foreign) {
            if (queue.offer(job)) {
                continue;
            }
            LOG.warn("pipeline '{}': runtime queue full, returning foreign job {} to its driver", name, job.id());
            try {
                Custody custody = job.settle(Settlement.requeue(job.headers(), 0));
                if (custody == Custody.RUNTIME) {
                    LOG.error("pipeline '{}': job {} of a stopped driver is lost: the queue is full", name,
                            job.id());
                }
            } catch (RuntimeException e) {
                LOG.error("pipeline '{}': could not return job {} to its driver", name, job.id(), e);
            }
        }
    }

    private void addDelayed(MemoryJob job) {
        delayed.add(job);
        scheduleWakeup();
    }

    /** Keeps one timer task per driver, due when the earliest delayed job is. Lock held. */
    private void scheduleWakeup() {
        if (stopped || delayed.isEmpty()) {
            return;
        }
        long next = delayed.peek().due();
        if (wakeup != null && wakeupDue - next <= 0) {
            return;
        }
        cancel(wakeup);
        wakeup = null;
        long generation = ++wakeupGeneration;
        try {
            wakeup = timer.schedule(() -> releaseDueJobs(generation), next - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
            wakeupDue = next;
        } catch (RejectedExecutionException e) {
            LOG.warn("pipeline '{}': timer unavailable, {} delayed jobs wait until the driver stops", name,
                    delayed.size());
        }
    }

    private void releaseDueJobs(long generation) {
        lock.lock();
        try {
            if (generation == wakeupGeneration) {
                wakeup = null;
            }
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            while (!delayed.isEmpty() && delayed.peek().due() - now <= 0) {
                MemoryJob due = delayed.poll();
                // ready from now on: it queues behind jobs of its priority that were ready before it
                due.resequence(sequence.getAndIncrement());
                addReady(due);
            }
            scheduleWakeup();
            pump();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': releasing delayed jobs failed", name, e);
        } finally {
            lock.unlock();
        }
    }

    private void scheduleRetry() {
        if (retry != null || stopped) {
            return;
        }
        try {
            retry = timer.schedule(this::retryPump, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("pipeline '{}': timer unavailable, buffered jobs move on the next push or ack", name);
        }
    }

    private void retryPump() {
        lock.lock();
        try {
            retry = null;
            pump();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': moving buffered jobs failed", name, e);
        } finally {
            lock.unlock();
        }
    }

    private void checkName(String pipeline) {
        if (!name.equals(pipeline)) {
            throw new JobsException(prefix() + "memory driver cannot serve pipeline '" + pipeline + "'");
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

    private static Message withDelay(Message message, int seconds) {
        return message.delay() == seconds ? message : message.toBuilder().delay(seconds).build();
    }

    /** @return the whole seconds, rounded up, from now until a due time; 0 when it has passed */
    private static int secondsUntil(long due, long now) {
        long remaining = due - now;
        if (remaining <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (remaining + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }
}
