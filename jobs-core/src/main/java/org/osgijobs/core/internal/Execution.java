package org.osgijobs.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;

/**
 * One run of one job in a handler: the {@link JobContext} the handler sees, the outcome it chose, and whether the
 * runtime gave up on it (timeout, handler departure).
 */
final class Execution implements JobContext {

    /** Why the runtime gave up on a run. */
    enum Cancel {
        /** The run overran {@code job_timeout}. */
        TIMEOUT,
        /** The handler's service went away while it ran. */
        HANDLER_GONE
    }

    /** What the handler decided, when it did not just return. */
    record Decision(boolean requeue, Map<String, List<String>> headers, int delay) {
    }

    final Job job;
    final JobHandler handler;
    private final Thread thread;
    private final int attempt;
    private Decision decision;
    private Cancel cancelled;
    private boolean finished;
    private boolean abandoned;

    Execution(Job job, JobHandler handler, Thread thread) {
        this.job = job;
        this.handler = handler;
        this.thread = thread;
        this.attempt = attemptOf(job.headers());
    }

    /** Reads the attempt count header; a missing or malformed one means the first attempt. */
    static int attemptOf(Map<String, List<String>> headers) {
        return Math.max(1, countOf(headers, ATTEMPT_HEADER));
    }

    /** @return the count a header carries; 0 when it is missing or malformed */
    static int countOf(Map<String, List<String>> headers, String header) {
        List<String> values = headers.get(header);
        if (values == null || values.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(values.get(0).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return the headers with the attempt count set */
    static Map<String, List<String>> withAttempt(Map<String, List<String>> headers, int attempt) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(ATTEMPT_HEADER, List.of(Integer.toString(attempt)));
        return copy;
    }

    /** Gives up on the run: the handler sees {@link #isCancelled()} and its thread is interrupted. */
    synchronized void cancel(Cancel reason) {
        if (finished || cancelled != null) {
            return;
        }
        cancelled = reason;
        thread.interrupt();
    }

    /**
     * Marks the run over; after this, {@link #cancel} no longer interrupts the thread.
     *
     * @return {@code false} when the runtime abandoned the run first: its outcome no longer counts
     */
    synchronized boolean finish() {
        finished = true;
        return !abandoned;
    }

    /**
     * Gives up on a run that ignored its cancellation: the job's outcome is decided without it, and whatever the
     * handler does later no longer counts.
     *
     * @return {@code false} when the run finished first
     */
    synchronized boolean abandon() {
        if (finished) {
            return false;
        }
        abandoned = true;
        return true;
    }

    synchronized Cancel cancelReason() {
        return cancelled;
    }

    synchronized Decision decision() {
        return decision;
    }

    @Override
    public String id() {
        return job.id();
    }

    @Override
    public String name() {
        return job.name();
    }

    @Override
    public String pipeline() {
        return job.groupId();
    }

    @Override
    public long priority() {
        return job.priority();
    }

    @Override
    public byte[] payload() {
        return job.body();
    }

    @Override
    public String payloadAsString() {
        return new String(job.body(), StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, List<String>> headers() {
        return job.headers();
    }

    @Override
    public String header(String key) {
        List<String> values = job.headers().get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void requeue(Map<String, List<String>> headers, int delay) {
        Map<String, List<String>> merged = new LinkedHashMap<>(job.headers());
        if (headers != null) {
            headers.forEach((k, v) -> merged.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        decide(new Decision(true, merged, checkDelay(delay)));
    }

    @Override
    public void nack(boolean requeue, int delay) {
        decide(new Decision(requeue, job.headers(), requeue ? checkDelay(delay) : 0));
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled != null;
    }

    private synchronized void decide(Decision d) {
        if (decision != null) {
            throw new IllegalStateException("job " + job.id() + " already has an outcome");
        }
        decision = d;
    }

    private static int checkDelay(int delay) {
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        return delay;
    }
}
