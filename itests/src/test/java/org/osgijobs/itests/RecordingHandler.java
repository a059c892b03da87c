package org.osgijobs.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.testing.Ledger;

/**
 * A {@link JobHandler} that records every run it gets (thread-safe), also in a {@link Ledger} when given one, then
 * does what its behaviour says: by default it returns normally, which acknowledges the job.
 */
public final class RecordingHandler implements JobHandler {

    /** What a handler does with a job after recording it. */
    @FunctionalInterface
    public interface Behaviour {
        /**
         * @param job the job
         * @throws Exception a failure, for the retry policy
         */
        void run(JobContext job) throws Exception;
    }

    /**
     * One run as the handler saw it.
     *
     * @param id        the job's id
     * @param name      the job's name
     * @param pipeline  its pipeline
     * @param priority  its priority
     * @param payload   its payload as text
     * @param headers   its headers
     * @param attempt   the attempt number
     * @param startNanos when the run started ({@link System#nanoTime()})
     * @param thread    the worker thread's name
     */
    public record Run(String id, String name, String pipeline, long priority, String payload,
            Map<String, List<String>> headers, int attempt, long startNanos, String thread) {

        /**
         * @param key a header
         * @return its first value, or {@code null}
         */
        public String header(String key) {
            List<String> values = headers.get(key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final Behaviour behaviour;
    private final Ledger ledger;
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, AtomicInteger> runsById = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunningAtOnce = new AtomicInteger();

    /** A handler that acknowledges every job. */
    public RecordingHandler() {
        this(job -> {
        });
    }

    /** @param ledger where each run is recorded too (see {@link #RecordingHandler(Ledger, Behaviour)}) */
    public RecordingHandler(Ledger ledger) {
        this(ledger, job -> {
        });
    }

    /** @param behaviour what to do with each job after recording it */
    public RecordingHandler(Behaviour behaviour) {
        this(null, behaviour);
    }

    /**
     * @param ledger    where each run is recorded too ({@link Ledger#ran(String)}), before the handler's own count:
     *                  a run seen through {@link #runsOf(String)} is in the ledger already
     * @param behaviour what to do with each job after recording it
     */
    public RecordingHandler(Ledger ledger, Behaviour behaviour) {
        this.ledger = ledger;
        this.behaviour = behaviour;
    }

    @Override
    public void handle(JobContext job) throws Exception {
        Run run = new Run(job.id(), job.name(), job.pipeline(), job.priority(), job.payloadAsString(),
                Map.copyOf(job.headers()), job.attempt(), System.nanoTime(), Thread.currentThread().getName());
        if (ledger != null) {
            ledger.ran(job.id());
        }
        synchronized (runs) {
            runs.add(run);
        }
        runsById.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
        int now = running.incrementAndGet();
        mostRunningAtOnce.accumulateAndGet(now, Math::max);
        try {
            behaviour.run(job);
        } finally {
            running.decrementAndGet();
        }
    }

    /** @return every run so far, in the order they started */
    public List<Run> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** @return how many runs so far */
    public int count() {
        synchronized (runs) {
            return runs.size();
        }
    }

    /**
     * @param id a job id
     * @return how many times that job ran here
     */
    public int runsOf(String id) {
        AtomicInteger n = runsById.get(id);
        return n == null ? 0 : n.get();
    }

    /** @return the ids of the jobs that ran, each once, with how many runs each had */
    public Map<String, Integer> runsById() {
        Map<String, Integer> copy = new java.util.HashMap<>();
        runsById.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /**
     * @param id a job id
     * @return its runs, in order
     */
    public List<Run> runsOfJob(String id) {
        return runs().stream().filter(r -> r.id().equals(id)).toList();
    }

    /** @return how many runs are in progress now */
    public int running() {
        return running.get();
    }

    /** @return the largest number of runs that were in progress at the same time */
    public int mostRunningAtOnce() {
        return mostRunningAtOnce.get();
    }
}
