package org.osgijobs.driver.beanstalk.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's consuming connection and the one thread that owns it. A beanstalkd job reserved on a connection can
 * be deleted, released or touched only on that connection, and a {@code reserve} occupies it until it returns; so
 * this thread does everything on it in turn: it sends the settlements the workers asked for, touches the jobs it
 * holds every half TTR (waiting in the runtime's queue or running), and reserves the next job, waiting on the server
 * only while it holds none (otherwise it asks without waiting, and waits here for a settlement instead).
 * <p>
 * It holds at most {@code prefetch} reserved jobs. When the connection breaks, beanstalkd puts every job it held back
 * into the tube: the jobs still in the runtime's queue are withdrawn, a running job's settlement answers
 * {@link Custody#BROKER}, and the thread connects again with a growing pause (up to {@link #MAX_BACKOFF_MILLIS}).
 */
final class Reserver {
    private static final Logger LOG = LoggerFactory.getLogger(Reserver.class);
    static final long MAX_BACKOFF_MILLIS = 5000;
    /** How long the thread waits for a settlement before it asks the server again for a job, while it holds jobs. */
    private static final long POLL_MILLIS = 10;

    /** What the reserver needs from its driver. */
    interface Host {
        /** Puts a copy of the job with new headers and a delay; completes when beanstalkd stored it. */
        CompletableFuture<Long> putCopy(BeanstalkJob job, Map<String, List<String>> headers, int delay);
    }

    private enum Op { DELETE, RELEASE, WAKE }

    private record Command(Op op, BeanstalkJob job, int delay, CompletableFuture<Boolean> done) {
    }

    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Queue queue;
    private final Host host;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final AtomicInteger reservedCount = new AtomicInteger();
    private final Thread thread;

    // the consumer thread's own
    private BeanstalkConnection connection;
    private final Map<Long, BeanstalkJob> held = new LinkedHashMap<>();
    /** Jobs reserved while the runtime's queue was full, in the order reserved. */
    private final java.util.ArrayDeque<BeanstalkJob> waitingForRoom = new java.util.ArrayDeque<>();
    /** How long to wait before asking again after a poll found no job while jobs are held (grows to POLL_MILLIS). */
    private long idleMillis;
    private long backoffMillis;

    private volatile long connectionNumber;
    private volatile boolean connected;
    private volatile String error;
    /** Changed by the driver's callers, one transition at a time (see {@link Mode}); read by the consumer thread. */
    private volatile Mode mode = Mode.BUILT;
    private volatile long stopDeadline;
    /** The connection while a reserve waits on the server (holding no job): stop closes it to end the wait. */
    private volatile BeanstalkConnection reserving;

    /** The most jobs this consumer holds reserved: its share of the pipeline's {@code prefetch}. */
    private final int prefetch;

    /**
     * @param index    this consumer's number among the pipeline's (names its threads)
     * @param prefetch its share of the pipeline's {@code prefetch}
     */
    Reserver(PipelineOptions options, ConnectionSettings settings, Queue queue, Host host, int index, int prefetch) {
        this.prefetch = prefetch;
        this.options = options;
        this.settings = settings;
        this.queue = queue;
        this.host = host;
        this.thread = new NamedThreads("beanstalk-" + options.pipeline + "-consumer-" + index).newThread(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Starts reserving jobs ({@code run}, {@code resume}). */
    synchronized void consume(String operation) {
        mode = mode.consume(options.pipeline, operation);
        wake();
    }

    /** Stops reserving jobs; the jobs not taken go back to the tube, held ones stay held until settled. */
    synchronized void pause() {
        mode = mode.pause();
        wake();
    }

    boolean consuming() {
        return mode == Mode.CONSUMING;
    }

    boolean connected() {
        return connected;
    }

    String error() {
        return error;
    }

    /** @return jobs this runtime holds reserved (waiting in the queue or running) */
    int reserved() {
        return reservedCount.get();
    }

    /**
     * Stops for good: jobs not taken go back to the tube, settlements still arriving within the grace are sent, then
     * the connection closes (beanstalkd then puts back what this runtime still held).
     */
    void stop(long graceMillis) {
        beginStop(graceMillis);
        awaitStop(graceMillis);
    }

    /** The first half of {@link #stop(long)}: asks the thread to stop, without waiting. */
    void beginStop(long graceMillis) {
        stopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        synchronized (this) {
            mode = mode.stop();
        }
        wake();
        BeanstalkConnection waiting = reserving;
        if (waiting != null) {
            waiting.close(); // a reserve that waits on the server holds no job of ours: nothing goes back
        }
    }

    /** The second half of {@link #stop(long)}: waits for the thread to end. */
    void awaitStop(long graceMillis) {
        try {
            thread.join(graceMillis + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt(); // blocked in a reserve: closing the socket from here ends it
        }
    }

    // ---- settlements: on the runtime's worker threads ----------------------------------------------------------

    Custody settle(BeanstalkJob job, Settlement settlement) {
        if (job.connection != connectionNumber || mode == Mode.STOPPED && !thread.isAlive()) {
            return Custody.BROKER; // the connection that reserved it is gone: beanstalkd has the job back
        }
        switch (settlement.kind()) {
        case ACK:
        case REJECT:
            // no wait: should the delete be lost with the connection, the job comes back (at least once)
            enqueue(Op.DELETE, job, 0);
            return Custody.DONE;
        case REQUEUE:
            if (settlement.headers().equals(job.headers())) {
                return await(enqueue(Op.RELEASE, job, settlement.delay())) ? Custody.DRIVER : Custody.BROKER;
            }
            return requeueCopy(job, settlement.headers(), settlement.delay());
        default:
            return await(enqueue(Op.RELEASE, job, settlement.delay())) ? Custody.DRIVER : Custody.BROKER;
        }
    }

    private Custody requeueCopy(BeanstalkJob job, Map<String, List<String>> headers, int delay) {
        try {
            host.putCopy(job, headers, delay).get(options.timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("pipeline '{}': {} could not be requeued with new headers ({}); it goes back to the tube as it"
                    + " was", options.pipeline, job, Producer.unwrap(e).getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            enqueue(Op.RELEASE, job, delay);
            return Custody.BROKER;
        }
        enqueue(Op.DELETE, job, 0);
        return Custody.DRIVER;
    }

    private CompletableFuture<Boolean> enqueue(Op op, BeanstalkJob job, int delay) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new Command(op, job, delay, done));
        return done;
    }

    private boolean await(CompletableFuture<Boolean> done) {
        try {
            return done.get(options.timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private void wake() {
        commands.add(new Command(Op.WAKE, null, 0, null));
    }

    // ---- the consumer thread ----------------------------------------------------------------------------------

    private void loop() {
        try {
            while (mode != Mode.STOPPED) {
                try {
                    step();
                } catch (IOException e) {
                    lost(e);
                }
            }
            finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("pipeline '{}': the beanstalk consumer failed", options.pipeline, e);
        } finally {
            closeConnection();
        }
    }

    private void step() throws IOException, InterruptedException {
        if (connection == null || !connection.isOpen()) {
            if (connection != null) {
                throw new IOException("connection to beanstalkd at " + settings + " lost");
            }
            connect();
            return;
        }
        touchDue();
        if (mode != Mode.CONSUMING) {
            runCommands(0);
            giveBackQueued();
            runCommands(held.isEmpty() ? 500 : Math.max(1, millisToNextTouch()));
            return;
        }
        while (!waitingForRoom.isEmpty() && queue.offer(waitingForRoom.peek())) {
            waitingForRoom.poll();
        }
        if (!waitingForRoom.isEmpty()) {
            runCommands(POLL_MILLIS);
            return;
        }
        Command first = null;
        if (held.size() >= prefetch) {
            // full: wait for a settlement, then send it together with the reserves for the room it makes
            first = commands.poll(Math.max(1, Math.min(1000, millisToNextTouch())), TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
        }
        if (held.isEmpty()) {
            runCommands(0);
            waitForOne();
        } else {
            pollSeveral(first);
        }
    }

    /** Holding no job: one reserve that waits on the server for up to {@code reserve_timeout}. */
    private void waitForOne() throws IOException {
        BeanstalkConnection.Reserved r;
        reserving = connection;
        try {
            if (mode == Mode.STOPPED) {
                return;
            }
            r = connection.reserve(options.reserveTimeoutSeconds,
                    (options.reserveTimeoutSeconds + options.timeoutSeconds) * 1000L);
        } finally {
            reserving = null;
        }
        if (r != null) {
            accept(r);
        }
    }

    /**
     * Holding jobs: as many reserves as there is room for, pipelined, none waiting on the server (a settlement must
     * not wait behind a reserve); when none brought a job, a short wait here for a settlement, growing to
     * {@link #POLL_MILLIS} while the tube stays empty.
     */
    private void pollSeveral(Command first) throws IOException, InterruptedException {
        // the settlements waiting and the reserves travel together: one round trip for both
        Sent sent = sendCommands(first);
        int room = prefetch - held.size();
        List<CompletableFuture<BeanstalkConnection.Reply>> replies = new ArrayList<>(room);
        for (int i = 0; i < room; i++) {
            replies.add(connection.send("reserve-with-timeout 0", null));
        }
        completeCommands(sent);
        int got = 0;
        boolean deadlineSoon = false;
        for (CompletableFuture<BeanstalkConnection.Reply> f : replies) {
            BeanstalkConnection.Reply r = connection.await(f, options.timeoutSeconds * 1000L);
            switch (r.status()) {
            case "RESERVED":
                accept(new BeanstalkConnection.Reserved(r.id(), r.data()));
                got++;
                break;
            case "TIMED_OUT":
                break;
            case "DEADLINE_SOON":
                deadlineSoon = true;
                break;
            default:
                throw new BeanstalkConnection.ProtocolException(r.status(), "reserve answered " + r);
            }
        }
        if (deadlineSoon) {
            touchAll();
        }
        if (got > 0) {
            idleMillis = 0;
            return;
        }
        idleMillis = Math.min(POLL_MILLIS, Math.max(1, idleMillis * 2));
        runCommands(idleMillis);
    }

    private void accept(BeanstalkConnection.Reserved r) throws IOException {
        WireFormat.Decoded decoded = WireFormat.decode(r.body(), options.tube, r.id(), options.priority);
        if (!decoded.problems().isEmpty()) {
            LOG.warn("pipeline '{}': beanstalkd job {} of tube '{}': {}; defaults used", options.pipeline, r.id(),
                    options.tube, String.join("; ", decoded.problems()));
        }
        BeanstalkJob job = new BeanstalkJob(decoded, options.pipeline, r.id(), this, connectionNumber);
        if (mode != Mode.CONSUMING) {
            job.markSettled();
            release(job, 0); // reserved while pausing
            return;
        }
        if (decoded.autoAck()) {
            // RoadRunner's auto_ack: deleted on receipt, before it runs
            job.markSettled();
            BeanstalkConnection.found(connection.await(connection.send("delete " + r.id(), null),
                    options.timeoutSeconds * 1000L), "DELETED");
        } else {
            job.touchAt = System.nanoTime() + touchInterval();
            held.put(r.id(), job);
            reservedCount.set(held.size());
        }
        if (!waitingForRoom.isEmpty() || !queue.offer(job)) {
            waitingForRoom.add(job);
        }
    }

    /** Sends the queued settlements (all at once, pipelined), waiting up to the time for the first to arrive. */
    private void runCommands(long waitMillis) throws IOException, InterruptedException {
        Command first = waitMillis > 0 ? commands.poll(waitMillis, TimeUnit.MILLISECONDS) : commands.poll();
        if (first != null) {
            completeCommands(sendCommands(first));
        }
    }

    /** The settlements sent and their answers to come. */
    private record Sent(List<Command> commands, List<CompletableFuture<BeanstalkConnection.Reply>> replies) {
    }

    /** Sends the settlements waiting (after {@code first}, when given), without waiting for the answers. */
    private Sent sendCommands(Command first) {
        List<Command> batch = new ArrayList<>();
        if (first != null) {
            batch.add(first);
        }
        commands.drainTo(batch);
        List<CompletableFuture<BeanstalkConnection.Reply>> replies = new ArrayList<>(batch.size());
        for (Command c : batch) {
            if (c.op == Op.WAKE) {
                replies.add(null);
            } else if (c.job.connection != connectionNumber || held.remove(c.job.beanstalkId) == null) {
                replies.add(null);
                c.done.complete(false); // the server has it back already
            } else {
                replies.add(connection.send(c.op == Op.DELETE ? "delete " + c.job.beanstalkId
                        : "release " + c.job.beanstalkId + " " + options.tubePriority + " " + c.delay, null));
            }
        }
        reservedCount.set(held.size());
        return new Sent(batch, replies);
    }

    private void completeCommands(Sent sent) throws IOException {
        for (int i = 0; i < sent.commands.size(); i++) {
            Command c = sent.commands.get(i);
            if (sent.replies.get(i) == null) {
                continue;
            }
            try {
                BeanstalkConnection.Reply reply = connection.await(sent.replies.get(i),
                        options.timeoutSeconds * 1000L);
                c.done.complete(BeanstalkConnection.found(reply, c.op == Op.DELETE ? "DELETED" : "RELEASED"));
            } catch (IOException e) {
                for (int j = i; j < sent.commands.size(); j++) {
                    if (sent.commands.get(j).done != null) {
                        sent.commands.get(j).done.complete(false);
                    }
                }
                throw e;
            }
        }
    }

    private void touchDue() throws IOException {
        long now = System.nanoTime();
        List<BeanstalkJob> due = new ArrayList<>();
        for (BeanstalkJob job : held.values()) {
            if (now - job.touchAt >= 0) {
                due.add(job);
            }
        }
        touch(due);
    }

    private void touchAll() throws IOException {
        touch(new ArrayList<>(held.values()));
    }

    private void touch(List<BeanstalkJob> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return;
        }
        List<CompletableFuture<BeanstalkConnection.Reply>> replies = new ArrayList<>(jobs.size());
        for (BeanstalkJob job : jobs) {
            replies.add(connection.send("touch " + job.beanstalkId, null));
        }
        long next = System.nanoTime() + touchInterval();
        for (int i = 0; i < jobs.size(); i++) {
            BeanstalkJob job = jobs.get(i);
            if (BeanstalkConnection.found(connection.await(replies.get(i), options.timeoutSeconds * 1000L),
                    "TOUCHED")) {
                job.touchAt = next;
            } else {
                // its TTR ran out before the touch: beanstalkd gave it to another consumer
                LOG.warn("pipeline '{}': {} ran past its TTR of {} s before it could be touched; it may run again",
                        options.pipeline, job, settings.ttrSeconds);
                held.remove(job.beanstalkId);
            }
        }
        reservedCount.set(held.size());
    }

    private long touchInterval() {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(500, settings.ttrSeconds * 1000 / 2));
    }

    private long millisToNextTouch() {
        long now = System.nanoTime();
        long min = Long.MAX_VALUE;
        for (BeanstalkJob job : held.values()) {
            min = Math.min(min, TimeUnit.NANOSECONDS.toMillis(job.touchAt - now));
        }
        return min == Long.MAX_VALUE ? 1000 : Math.max(0, min);
    }

    /** While not consuming: the jobs no worker took go back to the tube at once. */
    private void giveBackQueued() throws IOException {
        for (BeanstalkJob job; (job = waitingForRoom.poll()) != null;) {
            if (job.markSettled() && held.remove(job.beanstalkId) != null) {
                release(job, 0);
            }
        }
        boolean any = false;
        for (BeanstalkJob job : held.values()) {
            if (!job.isTaken()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return;
        }
        for (Job job : queue.withdraw()) {
            if (job instanceof BeanstalkJob && ((BeanstalkJob) job).owner == this) {
                BeanstalkJob b = (BeanstalkJob) job;
                if (b.markSettled() && held.remove(b.beanstalkId) != null) {
                    release(b, 0);
                }
            } else if (!queue.offer(job)) {
                LOG.error("pipeline '{}': job {} of another driver could not be put back into the queue",
                        options.pipeline, job.id());
            }
        }
        reservedCount.set(held.size());
    }

    private void release(BeanstalkJob job, int delay) throws IOException {
        BeanstalkConnection.found(connection.await(connection.send("release " + job.beanstalkId + " "
                + options.tubePriority + " " + delay, null), options.timeoutSeconds * 1000L), "RELEASED");
    }

    private void connect() throws InterruptedException {
        try {
            // this thread alone uses the connection: it reads the answers itself
            BeanstalkConnection c = BeanstalkConnection.openForOneThread(settings.host, settings.port,
                    (int) Math.min(10_000, options.timeoutSeconds * 1000L));
            try {
                c.watchOnly(options.tube, options.timeoutSeconds * 1000L);
            } catch (IOException e) {
                c.close();
                throw e;
            }
            connection = c;
            connectionNumber++;
            backoffMillis = 0;
            if (error != null) {
                LOG.info("pipeline '{}': connected to beanstalkd at {} again", options.pipeline, settings);
            }
            error = null;
            connected = true;
        } catch (IOException e) {
            String message = "pipeline '" + options.pipeline + "': " + e.getMessage();
            if (!message.equals(error)) {
                LOG.warn("{}; retrying", message);
            }
            error = message;
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoffMillis * 2));
            runCommandsOffline(backoffMillis);
        }
    }

    /** Without a connection, settlements cannot be sent: they answer that the server has the job back. */
    private void runCommandsOffline(long waitMillis) throws InterruptedException {
        Command c = commands.poll(waitMillis, TimeUnit.MILLISECONDS);
        while (c != null) {
            if (c.done != null) {
                c.done.complete(false);
            }
            c = commands.poll();
        }
    }

    /** The connection broke: beanstalkd has put back every job it held for this runtime. */
    private void lost(IOException e) {
        connected = false;
        error = "pipeline '" + options.pipeline + "': " + e.getMessage();
        if (mode != Mode.STOPPED) {
            LOG.warn("{}; the jobs this runtime held are back in tube '{}'", error, options.tube);
        }
        closeConnection();
        connection = null;
        connectionNumber++; // settlements of the old connection's jobs now answer BROKER
        held.clear();
        waitingForRoom.clear();
        reservedCount.set(0);
        for (Job job : queue.withdraw()) {
            if (job instanceof BeanstalkJob && ((BeanstalkJob) job).owner == this) {
                ((BeanstalkJob) job).markSettled();
            } else if (!queue.offer(job)) {
                LOG.error("pipeline '{}': job {} of another driver could not be put back into the queue",
                        options.pipeline, job.id());
            }
        }
    }

    /** On stop: give back what no worker took, send the settlements that come within the grace, then close. */
    private void finish() throws InterruptedException {
        try {
            if (connection != null && connection.isOpen()) {
                giveBackQueued();
                while (!held.isEmpty() && System.nanoTime() - stopDeadline < 0) {
                    runCommands(POLL_MILLIS);
                    touchDue();
                }
                runCommands(0);
            }
        } catch (IOException e) {
            LOG.debug("pipeline '{}': connection lost while stopping: {}", options.pipeline, e.getMessage());
        }
        if (!held.isEmpty()) {
            LOG.info("pipeline '{}': {} jobs still running at stop; beanstalkd gives them out again", options.pipeline,
                    held.size());
        }
        connectionNumber++;
        connected = false;
        runCommandsOffline(1);
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
        }
    }
}
