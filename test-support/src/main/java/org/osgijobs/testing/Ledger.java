package org.osgijobs.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The job ids of a fault test, by stage: pushed (a push was attempted), accepted (the push succeeded), refused (it
 * failed, with the message), ran (every run, repeats counted), settled. Producer threads, handlers or workers record
 * into it concurrently; at the end the test asserts what its scenario promises, and prints {@link #summary()}:
 *
 * <pre>
 * ledger.awaitAllAcceptedRan(Duration.ofSeconds(120));
 * System.out.printf("recovery: %s%n", ledger.summary());
 * ledger.assertNoneLost();
 * ledger.assertDuplicatesAtMost(5 * (50 + 100), "a cut redelivers at most the prefetch and re-sends at most the window");
 * </pre>
 *
 * A refused push is not a lost job: its producer was told. A refused push may still have been stored (its
 * confirmation was lost) and run; {@link #assertOnlyAcceptedRan()} is for the scenarios that promise it was not.
 * Refusals carry the {@link #phase(String) phase} the test was in, so that a test can require none in one phase.
 * <p>
 * Thread-safe. Ids are compared as strings; an id may be pushed only once (a second record of the same stage is
 * ignored, except for runs and settlements, which are counted).
 */
public final class Ledger {

    /** How many ids an assertion message lists at most. */
    private static final int EXAMPLES = 5;

    /**
     * One refused push.
     *
     * @param id      the job's id
     * @param message why it was refused
     * @param phase   the test's {@link Ledger#phase(String) phase} when it was recorded ("" when none was set)
     */
    public record Refusal(String id, String message, String phase) {
    }

    private final String name;
    private final Object lock = new Object();
    // all guarded by lock
    private final Set<String> pushed = new LinkedHashSet<>();
    private final Set<String> accepted = new LinkedHashSet<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private final Map<String, Integer> runs = new LinkedHashMap<>();
    private final Map<String, Integer> settlements = new LinkedHashMap<>();
    /** Accepted ids without a run yet, in the order they were accepted. */
    private final Set<String> waiting = new LinkedHashSet<>();
    private int totalRuns;
    private int totalSettlements;
    private volatile String phase = "";

    /** A ledger named "ledger" in its messages. */
    public Ledger() {
        this("ledger");
    }

    /** @param name what the assertion messages and the summary call it, e.g. the test's scenario */
    public Ledger(String name) {
        this.name = name;
    }

    /**
     * Names the phase of the test that refusals recorded from now on belong to (e.g. {@code "update"}).
     *
     * @param phase a name; {@code ""} for none
     */
    public void phase(String phase) {
        this.phase = phase;
    }

    /** @return the current phase, {@code ""} when none was set */
    public String phase() {
        return phase;
    }

    /** Records that a push of the job was attempted. */
    public void pushed(String id) {
        synchronized (lock) {
            pushed.add(id);
        }
    }

    /** Records that the job's push succeeded (it counts as pushed too). */
    public void accepted(String id) {
        synchronized (lock) {
            pushed.add(id);
            if (accepted.add(id) && !runs.containsKey(id)) {
                waiting.add(id);
            }
        }
    }

    /**
     * Records that the job's push failed (it counts as pushed too).
     *
     * @param message why, as the producer was told
     */
    public void refused(String id, String message) {
        synchronized (lock) {
            pushed.add(id);
            refusals.add(new Refusal(id, String.valueOf(message), phase));
        }
    }

    /**
     * Records that the job's push failed with the given failure (unwrapped from the completion or execution
     * exception around it).
     */
    public void refused(String id, Throwable failure) {
        refused(id, String.valueOf(cause(failure).getMessage()));
    }

    /**
     * Records the push of a job now, and its outcome when the stage completes: accepted, or refused with the
     * failure's message.
     *
     * @param id   the job's id
     * @param push the push's completion
     * @return a stage with the push's outcome that completes once the outcome is recorded, for the caller to chain
     *         on (a producer's window released there never runs ahead of the ledger)
     */
    public <T> CompletionStage<T> track(String id, CompletionStage<T> push) {
        pushed(id);
        return push.whenComplete((ok, failure) -> {
            if (failure == null) {
                accepted(id);
            } else {
                refused(id, failure);
            }
        });
    }

    /** Records one run of the job (a handler or worker started it). */
    public void ran(String id) {
        ran(id, 1);
    }

    /**
     * Records runs of the job, e.g. counted from a log.
     *
     * @param times how many runs, at least 1
     */
    public void ran(String id, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        synchronized (lock) {
            runs.merge(id, times, Integer::sum);
            totalRuns += times;
            if (waiting.remove(id) && waiting.isEmpty()) {
                lock.notifyAll();
            }
        }
    }

    /** Records that the job was settled (acknowledged, rejected or requeued) once more. */
    public void settled(String id) {
        synchronized (lock) {
            settlements.merge(id, 1, Integer::sum);
            totalSettlements++;
        }
    }

    /** @return distinct ids whose push was attempted (accepted and refused ones included) */
    public int pushedCount() {
        synchronized (lock) {
            return pushed.size();
        }
    }

    /** @return distinct ids whose push succeeded */
    public int acceptedCount() {
        synchronized (lock) {
            return accepted.size();
        }
    }

    /** @return a copy of the accepted ids, in the order they were accepted */
    public Set<String> accepted() {
        synchronized (lock) {
            return new LinkedHashSet<>(accepted);
        }
    }

    /** @return refused pushes so far */
    public int refusedCount() {
        synchronized (lock) {
            return refusals.size();
        }
    }

    /** @return the refused pushes, in the order recorded */
    public List<Refusal> refusals() {
        synchronized (lock) {
            return List.copyOf(refusals);
        }
    }

    /** @return the refused pushes recorded during the phase */
    public List<Refusal> refusals(String phase) {
        synchronized (lock) {
            return refusals.stream().filter(r -> r.phase().equals(phase)).toList();
        }
    }

    /** @return runs so far, repeats included */
    public int runs() {
        synchronized (lock) {
            return totalRuns;
        }
    }

    /** @return distinct ids that ran at least once */
    public int ranCount() {
        synchronized (lock) {
            return runs.size();
        }
    }

    /** @return how many times the job ran */
    public int runsOf(String id) {
        synchronized (lock) {
            return runs.getOrDefault(id, 0);
        }
    }

    /** @return id → runs, for every id that ran, in the order of their first runs */
    public Map<String, Integer> runsById() {
        synchronized (lock) {
            return new LinkedHashMap<>(runs);
        }
    }

    /** @return settlements so far, repeats included */
    public int settledCount() {
        synchronized (lock) {
            return totalSettlements;
        }
    }

    /** @return how many times the job was settled */
    public int settlementsOf(String id) {
        synchronized (lock) {
            return settlements.getOrDefault(id, 0);
        }
    }

    /** @return the runs beyond the first of each id */
    public int duplicates() {
        synchronized (lock) {
            return totalRuns - runs.size();
        }
    }

    /** @return the accepted ids that have not run (yet), in the order they were accepted */
    public List<String> lost() {
        synchronized (lock) {
            return List.copyOf(waiting);
        }
    }

    /**
     * Waits until every accepted job has run at least once: call it once the producers stopped and every push has
     * its outcome. Woken by the runs themselves, no fixed sleep; the limit only keeps a broken test from hanging.
     *
     * @param limit how long to wait at most
     * @throws AssertionError when some accepted job has not run within the limit, naming a few
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitAllAcceptedRan(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (!waiting.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": not within " + seconds(limit) + ": " + lostMessage());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** @throws AssertionError when an accepted job never ran, with counts and a few of the missing ids */
    public void assertNoneLost() {
        synchronized (lock) {
            if (!waiting.isEmpty()) {
                throw new AssertionError(name + ": " + lostMessage());
            }
        }
    }

    /**
     * @param bound the most runs beyond the first of each id that the scenario can cause
     * @param why   why the scenario can cause that many, for the failure message (e.g. "each of 5 cuts
     *              redelivers at most the 50 unacknowledged deliveries and re-sends at most 100 unconfirmed
     *              publishes")
     * @throws AssertionError when there were more duplicates, naming a few repeated ids
     * @throws IllegalArgumentException when the bound is negative or no reason is given
     */
    public void assertDuplicatesAtMost(int bound, String why) {
        if (bound < 0) {
            throw new IllegalArgumentException("a duplicate bound is at least 0, got " + bound);
        }
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("say why the scenario can cause up to " + bound + " duplicates");
        }
        synchronized (lock) {
            int duplicates = totalRuns - runs.size();
            if (duplicates > bound) {
                List<String> examples = new ArrayList<>();
                for (Map.Entry<String, Integer> e : runs.entrySet()) {
                    if (e.getValue() > 1 && examples.size() < EXAMPLES) {
                        examples.add(e.getKey() + " ran " + e.getValue() + " times");
                    }
                }
                throw new AssertionError(name + ": " + duplicates + " duplicate runs, more than the " + bound
                        + " allowed (" + why + "), e.g. " + examples + "; " + summaryLocked());
            }
        }
    }

    /** @throws AssertionError when a job ran whose push was never accepted (refused, or never pushed at all) */
    public void assertOnlyAcceptedRan() {
        synchronized (lock) {
            List<String> strangers = new ArrayList<>();
            int refusedButRan = 0;
            Set<String> refusedIds = new LinkedHashSet<>();
            refusals.forEach(r -> refusedIds.add(r.id()));
            for (String id : runs.keySet()) {
                if (!accepted.contains(id)) {
                    strangers.add(id);
                    if (refusedIds.contains(id)) {
                        refusedButRan++;
                    }
                }
            }
            if (!strangers.isEmpty()) {
                throw new AssertionError(name + ": " + strangers.size() + " jobs ran that were never accepted ("
                        + refusedButRan + " of them refused), e.g. " + first(strangers) + "; " + summaryLocked());
            }
        }
    }

    /**
     * @param why why the scenario refuses no push, for the failure message
     * @throws AssertionError when a push was refused, with the first messages
     */
    public void assertNoRefusals(String why) {
        List<Refusal> all = refusals();
        if (!all.isEmpty()) {
            throw new AssertionError(name + ": " + all.size() + " pushes refused (" + why + "), e.g. "
                    + first(all) + "; " + summary());
        }
    }

    /**
     * @param phase the phase during which no push may fail
     * @param why   why the scenario refuses no push then, for the failure message
     * @throws AssertionError when a push was refused during the phase, with the first messages
     */
    public void assertNoRefusalsIn(String phase, String why) {
        List<Refusal> during = refusals(phase);
        if (!during.isEmpty()) {
            throw new AssertionError(name + ": " + during.size() + " pushes refused during '" + phase + "' ("
                    + why + "), e.g. " + first(during) + "; " + summary());
        }
    }

    /**
     * @return one line for the test's output, e.g. {@code recovery: 2100 pushed, 2041 accepted, 59 refused (cut 3:
     *         59), 2141 runs of 2041 ids, 100 duplicates, 0 lost, 2141 settled}; "lost" counts the accepted ids that
     *         have not run yet; settlements are shown only when some were recorded
     */
    public String summary() {
        synchronized (lock) {
            return summaryLocked();
        }
    }

    @Override
    public String toString() {
        return summary();
    }

    private String summaryLocked() {
        StringBuilder s = new StringBuilder(name).append(": ").append(pushed.size()).append(" pushed, ")
                .append(accepted.size()).append(" accepted, ").append(refusals.size()).append(" refused");
        Map<String, Integer> byPhase = new LinkedHashMap<>();
        refusals.forEach(r -> byPhase.merge(r.phase(), 1, Integer::sum));
        if (!byPhase.isEmpty() && !(byPhase.size() == 1 && byPhase.containsKey(""))) {
            StringBuilder phases = new StringBuilder();
            byPhase.forEach((p, n) -> phases.append(phases.length() == 0 ? "" : ", ")
                    .append(p.isEmpty() ? "no phase" : p).append(": ").append(n));
            s.append(" (").append(phases).append(')');
        }
        s.append(", ").append(totalRuns).append(" runs of ").append(runs.size()).append(" ids, ")
                .append(totalRuns - runs.size()).append(" duplicates, ").append(waiting.size()).append(" lost");
        if (totalSettlements > 0) {
            s.append(", ").append(totalSettlements).append(" settled");
        }
        return s.toString();
    }

    private String lostMessage() {
        return waiting.size() + " of " + accepted.size() + " accepted jobs never ran (lost), e.g. " + first(waiting)
                + "; " + summaryLocked();
    }

    private static <T> List<T> first(Iterable<T> items) {
        List<T> some = new ArrayList<>();
        for (T item : items) {
            if (some.size() == EXAMPLES) {
                break;
            }
            some.add(item);
        }
        return some;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Throwable cause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
