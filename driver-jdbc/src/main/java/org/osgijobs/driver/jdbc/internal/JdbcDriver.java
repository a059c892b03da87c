package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Browsable;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of one pipeline whose jobs are rows of the shared jobs table. Pushes are inserted by the pipeline's
 * {@link Writer}; its claim thread leases ready rows ({@code FOR UPDATE SKIP LOCKED}, priority then FIFO) up to the
 * free {@code prefetch} slots, offers them to the runtime's queue, renews their lease while they are held, and counts
 * the pipeline's rows for {@link #state()}. Settlements are written by the writer; a slot is freed once its
 * settlement is committed, so a runtime that dies leaves at most {@code prefetch} leased rows, which any runtime takes
 * over once their lease expired, counting their attempt.
 * <p>
 * <b>Locking.</b> One lock guards the in-memory state; under it the runtime's queue is only offered to, and no JDBC
 * call runs. JDBC runs on the claim thread and the writer's thread only.
 */
final class JdbcDriver implements Driver, Browsable, Writer.Listener {
    static final String NAME = "jdbc";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDriver.class);
    private static final long BACKOFF_MAX_MILLIS = 5_000;
    /** How soon claimed jobs are offered again when the runtime's queue was full. */
    private static final long QUEUE_FULL_RETRY_MILLIS = 50;
    /**
     * How soon a claim put off (less than half of prefetch free, jobs waiting in the runtime's queue) is looked at
     * again when nothing wakes the claim thread before: the queue may have been emptied by other pipelines' jobs.
     */
    private static final long DEFERRED_RECHECK_MILLIS = 20;

    private final String name;
    private final JdbcOptions options;
    private final Database db;
    private final Queue queue;
    private final String lockedBy;
    private final Writer writer;
    private final Thread claims;
    private final java.util.function.Consumer<JdbcDriver> onStop;
    private final TransactionJoin join;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<JdbcJob> notOffered = new ArrayDeque<>();
    // claimed rows whose settlement or release is not yet committed: what prefetch bounds
    private final java.util.Set<Long> held = new java.util.HashSet<>();
    private boolean consuming;
    private boolean stopped;
    private boolean woken;
    private String claimFailure;
    private String writeFailure;
    private long ready;
    private long delayed;
    private long taken;
    /** Rounds of the claim thread that ended without failure: what a test waits on to see a decision made. */
    private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();

    JdbcDriver(String name, JdbcOptions options, Database db, Queue queue,
            java.util.function.Consumer<JdbcDriver> onStop) {
        this(name, options, db, queue, onStop, null);
    }

    /** @param join pushes join the caller's transaction through it ({@code tx_provider}), or {@code null} */
    JdbcDriver(String name, JdbcOptions options, Database db, Queue queue,
            java.util.function.Consumer<JdbcDriver> onStop, TransactionJoin join) {
        this.join = join;
        this.name = name;
        this.options = options;
        this.db = db;
        this.queue = queue;
        this.onStop = onStop;
        this.lockedBy = "pid" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "/" + name;
        this.writer = new Writer(db, name, lockedBy, options.timeoutSeconds(), this);
        this.claims = new Thread(this::claimLoop, "jobs-jdbc-claims-" + name);
        claims.setDaemon(true);
    }

    void start() {
        writer.start();
        claims.start();
        db.signals().register(name, signalled);
    }

    private final Runnable signalled = this::signalled;

    /** Another runtime (or this one) pushed into the pipeline: claim now. On the signals' thread. */
    private void signalled() {
        lock.lock();
        try {
            wakeLocked();
        } finally {
            lock.unlock();
        }
    }

    String pipeline() {
        return name;
    }

    /** The table could not be set up when the driver was built: shown until the claim thread has set it up. */
    void waitingForDatabase(String error) {
        lock.lock();
        try {
            claimFailure = error;
        } finally {
            lock.unlock();
        }
    }

    /** @return the claim thread's rounds that ended without failure so far (for tests) */
    long claimRounds() {
        return rounds.get();
    }

    /** @return what this driver writes into {@code locked_by} */
    String lockedBy() {
        return lockedBy;
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        if (message == null) {
            return failed(JobsException.Kind.BAD_INPUT, "no job given");
        }
        if (!name.equals(message.pipeline())) {
            return failed(JobsException.Kind.BAD_INPUT, "jdbc driver got job '" + message.name() + "' for pipeline '"
                    + message.pipeline() + "'");
        }
        if (message.name().indexOf('\0') >= 0 || message.id().indexOf('\0') >= 0) {
            return failed(JobsException.Kind.BAD_INPUT, "job '" + message.name().replace('\0', '?')
                    + "': a job's name and id must not contain the character U+0000");
        }
        int max = db.dialect().maxNameLength();
        if (message.name().length() > max || message.id().length() > max) {
            return failed(JobsException.Kind.BAD_INPUT, "job '" + message.name().substring(0, Math.min(40,
                    message.name().length())) + "…': a job's name and id may have at most " + max + " characters in "
                    + db.dialect().name());
        }
        lock.lock();
        try {
            if (stopped) {
                return failed(JobsException.Kind.UNAVAILABLE, "jdbc driver is stopped");
            }
        } finally {
            lock.unlock();
        }
        long priority = message.priority() != 0 ? message.priority() : options.priority();
        if (join != null) {
            CompletableFuture<Void> joined = join.push(message, priority);
            if (joined != null) {
                return joined; // in the caller's transaction: the row exists once it commits
            }
        }
        CompletableFuture<Void> done = writer.insert(message, priority);
        if (done.isDone()) {
            return done;
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        done.whenComplete((ok, e) -> {
            if (e == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(e);
            }
        });
        CompletableFuture.delayedExecutor(options.timeoutSeconds(), TimeUnit.SECONDS).execute(() -> result
                .completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "database "
                        + db.describe() + ": the push was not committed within " + options.timeoutSeconds()
                        + " s (timeout)")));
        return result;
    }

    @Override
    public void run(Pipeline pipeline) {
        start(pipeline.name());
    }

    @Override
    public void resume(String pipeline) {
        start(pipeline);
    }

    private void start(String pipeline) {
        checkName(pipeline);
        lock.lock();
        try {
            if (stopped) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, prefix() + "jdbc driver is stopped");
            }
            consuming = true;
            wakeLocked();
        } finally {
            lock.unlock();
        }
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
            foreign = withdrawLocked();
        } finally {
            lock.unlock();
        }
        putBack(foreign);
    }

    /** Ends consumption: rows not yet taken by a worker are unlocked at once; the table keeps every job. */
    @Override
    public List<Message> stop() {
        List<Job> foreign;
        lock.lock();
        try {
            if (stopped) {
                return List.of();
            }
            consuming = false;
            foreign = withdrawLocked();
            stopped = true;
            wakeLocked();
        } finally {
            lock.unlock();
        }
        putBack(foreign);
        try {
            claims.join(TimeUnit.SECONDS.toMillis(options.timeoutSeconds()));
            writer.close(options.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.signals().unregister(name, signalled);
        if (join != null) {
            join.close();
        }
        onStop.accept(this);
        LOG.debug("pipeline '{}': jdbc driver stopped, its jobs stay in {}", name, db.table());
        return List.of();
    }

    /** What a crash (kill -9) leaves: nothing more is written, leases are left to expire. For tests. */
    void crash() {
        lock.lock();
        try {
            stopped = true;
            consuming = false;
            notOffered.clear();
            wakeLocked();
        } finally {
            lock.unlock();
        }
        writer.halt();
        db.signals().unregister(name, signalled);
        if (join != null) {
            join.close();
        }
        try {
            claims.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onStop.accept(this);
    }

    @Override
    public List<Message> waiting(int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(db.dialect().browse(db.table()))) {
            ps.setString(1, name);
            ps.setInt(2, limit);
            List<Message> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(waitingJob(rs));
                }
            }
            c.commit();
            return jobs;
        } catch (SQLException e) {
            throw db.error("cannot list the jobs of pipeline '" + name + "'", e);
        }
    }

    @Override
    public Optional<Message> remove(String id) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement(db.dialect().removeWaiting(db.table()))) {
            ps.setString(1, name);
            ps.setString(2, id);
            Optional<Message> removed;
            try (ResultSet rs = ps.executeQuery()) {
                removed = rs.next() ? Optional.of(waitingJob(rs)) : Optional.empty();
            }
            c.commit();
            return removed;
        } catch (SQLException e) {
            throw db.error("cannot remove job " + id + " from pipeline '" + name + "'", e);
        }
    }

    /** @return the row of {@link Dialect#browse} or {@link Dialect#removeWaiting} as a job */
    private Message waitingJob(ResultSet rs) throws SQLException {
        Map<String, List<String>> headers;
        try {
            headers = HeadersJson.read(rs.getString(5));
        } catch (RuntimeException e) {
            headers = Map.of(); // a row written by hand with broken headers is still listed
        }
        return Message.builder(rs.getString(2)).id(rs.getString(1)).pipeline(name).priority(rs.getLong(3))
                .payload(rs.getBytes(4)).headers(headers).autoAck(rs.getBoolean(6)).delay(rs.getInt(7)).build();
    }

    @Override
    public State state() {
        lock.lock();
        try {
            String failure = claimFailure != null ? claimFailure : writeFailure;
            return State.builder(name).driver(NAME).queue(db.table()).active(ready).delayed(delayed).reserved(taken)
                    .ready(consuming && failure == null).priority(options.priority())
                    .errorMessage(failure == null ? "" : failure).build();
        } finally {
            lock.unlock();
        }
    }

    // ---- the jobs' side

    Custody settle(JdbcJob job, Settlement settlement) {
        lock.lock();
        try {
            if (job.settleOnce() == JdbcJob.SETTLED) {
                return Custody.DONE;
            }
            if (!job.belongsTo(this) || stopped) {
                // the row stays leased to this driver; any runtime takes it over once the lease expired
                return Custody.BROKER;
            }
            boolean taken;
            Custody custody;
            switch (settlement.kind()) {
            case ACK -> {
                taken = options.keepDoneSeconds() > 0 ? writer.done(job.rowId()) : writer.delete(job.rowId());
                custody = Custody.DONE;
            }
            case REJECT -> {
                taken = writer.delete(job.rowId());
                custody = Custody.DONE;
            }
            default -> {
                Map<String, List<String>> headers = settlement.kind() == Settlement.Kind.REQUEUE
                        ? settlement.headers() : job.headers();
                taken = writer.requeue(job.rowId(), settlement.delay(), HeadersJson.write(headers),
                        Attempts.of(headers));
                custody = Custody.DRIVER;
            }
            }
            return taken ? custody : Custody.BROKER;
        } finally {
            lock.unlock();
        }
    }

    // ---- the writer's side

    @Override
    public void written(List<Long> freed, boolean inserted) {
        lock.lock();
        try {
            freed.forEach(held::remove);
            if (writeFailure != null) {
                LOG.info("pipeline '{}': database {} writable again", name, db.describe());
                writeFailure = null;
            }
            if (!freed.isEmpty() || inserted) {
                wakeLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeFailed(JobsException failure) {
        lock.lock();
        try {
            if (writeFailure == null && !stopped) {
                LOG.error("{}", failure.getMessage());
            }
            writeFailure = failure.getMessage();
        } finally {
            lock.unlock();
        }
    }

    // ---- the claim thread

    private void claimLoop() {
        long nextRenew = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.renewEveryMillis());
        long nextCount = 0;
        long nextPurge = 0;
        boolean again = false;
        boolean deferred = false;
        long backoff = 0;
        boolean inDoubt = false;
        while (true) {
            int want;
            boolean renewNow;
            List<Long> heldNow;
            lock.lock();
            try {
                long wait = backoff > 0 ? backoff : again ? 0
                        : !notOffered.isEmpty() ? Math.min(QUEUE_FULL_RETRY_MILLIS, options.pollIntervalMillis())
                        : deferred ? Math.min(DEFERRED_RECHECK_MILLIS, options.pollIntervalMillis())
                        : options.pollIntervalMillis();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                while (!stopped && !woken && wait > 0) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wake.awaitNanos(left);
                }
                woken = false;
                if (stopped) {
                    return;
                }
                offerNotOffered();
                int free = consuming && notOffered.isEmpty() ? options.prefetch() - held.size() : 0;
                // a claim costs a round trip and a commit whatever its size: while the runtime's queue still has
                // jobs for the workers, wait until half of prefetch is free, so that claims come in large batches
                deferred = free > 0 && free < options.claimAtLeast() && queue.size() > 0;
                want = deferred ? 0 : free;
                renewNow = !held.isEmpty() && System.nanoTime() - nextRenew >= 0;
                heldNow = inDoubt ? new ArrayList<>(held) : null;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            again = false;
            try {
                db.ensureSchema(options.timeoutSeconds()); // at once once done; else the database was away at build
                if (heldNow != null) {
                    releaseOrphans(heldNow);
                    inDoubt = false;
                }
                if (want > 0) {
                    List<ClaimedRow> rows = claim(want);
                    hand(rows);
                    again = rows.size() == want;
                }
                if (renewNow) {
                    renew();
                    nextRenew = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.renewEveryMillis());
                }
                if (System.nanoTime() - nextCount >= 0) {
                    count();
                    nextCount = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(500,
                            Math.min(options.pollIntervalMillis(), 2_000)));
                }
                if (options.keepDoneSeconds() > 0 && System.nanoTime() - nextPurge >= 0) {
                    purgeDone();
                    nextPurge = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.purgeEveryMillis());
                }
                backoff = 0;
                claimSucceeded();
                rounds.incrementAndGet();
            } catch (SQLException e) {
                inDoubt = true; // a claim may have committed without this runtime learning of its rows
                claimFailed(db.error("cannot claim jobs from the table " + db.table(), e));
                backoff = Math.min(BACKOFF_MAX_MILLIS, Math.max(backoff * 2, Math.min(1_000,
                        options.pollIntervalMillis())));
            } catch (JobsException e) {
                claimFailed(e);
                backoff = Math.min(BACKOFF_MAX_MILLIS, Math.max(backoff * 2, Math.min(1_000,
                        options.pollIntervalMillis())));
            } catch (RuntimeException e) {
                LOG.error("pipeline '{}': claiming jobs failed", name, e);
                backoff = BACKOFF_MAX_MILLIS;
            }
        }
    }

    /** @return the rows claimed (committed by the dialect), in the table's order */
    private List<ClaimedRow> claim(int limit) throws SQLException {
        try (Connection c = db.connection()) {
            try {
                List<ClaimedRow> rows = new ArrayList<>(db.dialect().claim(c, db.table(), name, limit, lockedBy,
                        options.leaseSeconds(), options.timeoutSeconds()));
                rows.sort(ClaimedRow.ORDER);
                long reclaimed = rows.stream().filter(ClaimedRow::reclaimed).count();
                if (reclaimed > 0) {
                    LOG.info("pipeline '{}': took over {} jobs whose lease had expired (their runtime stopped without"
                            + " settling them); they run again with their attempt counted", name, reclaimed);
                }
                return rows;
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** @return the row's headers with its attempt: the column, which a takeover counted, wins over the JSON's */
    private Map<String, List<String>> headersOf(ClaimedRow row) {
        Map<String, List<String>> headers = readHeaders(row);
        return Attempts.of(headers) == row.attempt() ? headers : Attempts.with(headers, row.attempt());
    }

    private Map<String, List<String>> readHeaders(ClaimedRow row) {
        try {
            return HeadersJson.read(row.headers());
        } catch (IllegalArgumentException e) {
            LOG.warn("pipeline '{}': job {} (row {}): its headers cannot be read ({}); it runs without them", name,
                    row.jobId(), row.id(), e.getMessage());
            return Map.of();
        }
    }

    /** Moves claimed rows into the runtime's queue; rows claimed while the pipeline stopped consuming go back. */
    private void hand(List<ClaimedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Long> back = new ArrayList<>();
        lock.lock();
        try {
            for (ClaimedRow row : rows) {
                held.add(row.id());
                JdbcJob job = new JdbcJob(this, row.id(), Message.builder(row.name()).id(row.jobId())
                        .payload(row.payload()).headers(headersOf(row)).pipeline(name).priority(row.priority())
                        .autoAck(row.autoAck()).build(), row.priority());
                if (!consuming || stopped) {
                    job.withdrawn();
                    back.add(row.id());
                } else if (!notOffered.isEmpty() || !queue.offer(job)) {
                    notOffered.add(job); // the runtime's queue is full: offered again on the next round
                }
            }
        } finally {
            lock.unlock();
        }
        releaseAll(back);
    }

    private void offerNotOffered() {
        while (!notOffered.isEmpty() && queue.offer(notOffered.peek())) {
            notOffered.poll();
        }
    }

    /**
     * After a claim failed, its transaction may still have committed: the rows it leased to this driver that the
     * driver does not hold are unlocked (they never ran, so no attempt is counted), instead of waiting for their lease.
     */
    private void releaseOrphans(List<Long> heldNow) throws SQLException {
        try (Connection c = db.connection()) {
            try {
                int released = db.dialect().releaseOrphans(c, db.table(), lockedBy, heldNow,
                        options.timeoutSeconds());
                c.commit();
                if (released > 0) {
                    LOG.info("pipeline '{}': {} jobs leased by a claim whose answer was lost are ready again", name,
                            released);
                }
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
    }

    private void renew() throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(db.dialect().renew(db.table()))) {
                ps.setQueryTimeout(options.timeoutSeconds());
                ps.setDouble(1, options.leaseSeconds());
                ps.setString(2, lockedBy);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Deletes the pipeline's done rows older than {@code keep_done} (any runtime's: they all agree on the time). */
    private void purgeDone() throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(db.dialect().purgeDone(db.table()))) {
                ps.setQueryTimeout(options.timeoutSeconds());
                ps.setString(1, name);
                ps.setDouble(2, options.keepDoneSeconds());
                int purged = ps.executeUpdate();
                c.commit();
                if (purged > 0) {
                    LOG.debug("pipeline '{}': {} done jobs older than {} s purged", name, purged,
                            options.keepDoneSeconds());
                }
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
    }

    private void count() throws SQLException {
        long r;
        long d;
        long t;
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement(db.dialect().counts(db.table()))) {
                ps.setQueryTimeout(options.timeoutSeconds());
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    r = rs.getLong(1);
                    d = rs.getLong(2);
                    t = rs.getLong(3);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        }
        lock.lock();
        try {
            ready = r;
            delayed = d;
            taken = t;
        } finally {
            lock.unlock();
        }
    }

    private void claimSucceeded() {
        lock.lock();
        try {
            if (claimFailure != null) {
                LOG.info("pipeline '{}': database {} answers again", name, db.describe());
                claimFailure = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void claimFailed(JobsException e) {
        lock.lock();
        try {
            if (claimFailure == null && !stopped) {
                LOG.error("pipeline '{}': {}; trying again", name, e.getMessage());
            }
            claimFailure = e.getMessage();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals

    /** Takes this driver's waiting jobs back from the runtime's queue and unlocks their rows. Lock held. */
    private List<Job> withdrawLocked() {
        List<Job> foreign = List.of();
        List<Long> back = new ArrayList<>();
        for (Job job : queue.withdraw()) {
            if (job instanceof JdbcJob jdbc) {
                if (jdbc.belongsTo(this) && jdbc.withdrawn()) {
                    back.add(jdbc.rowId());
                }
                // a job of an earlier jdbc driver of the pipeline: its lease runs out and any runtime takes it
            } else {
                if (foreign.isEmpty()) {
                    foreign = new ArrayList<>();
                }
                foreign.add(job);
            }
        }
        for (JdbcJob job : notOffered) {
            if (job.withdrawn()) {
                back.add(job.rowId());
            }
        }
        notOffered.clear();
        releaseAll(back);
        return foreign;
    }

    private void releaseAll(List<Long> rows) {
        for (long row : rows) {
            if (!writer.release(row)) {
                break; // stopped: the leases run out
            }
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

    private void wakeLocked() {
        woken = true;
        wake.signalAll();
    }

    private CompletionStage<Void> failed(JobsException.Kind kind, String why) {
        return CompletableFuture.failedStage(new JobsException(kind, prefix() + why));
    }

    private void checkName(String pipeline) {
        if (!name.equals(pipeline)) {
            throw new JobsException(prefix() + "jdbc driver cannot serve pipeline '" + pipeline + "'");
        }
    }

    private String prefix() {
        return "pipeline '" + name + "': ";
    }
}
