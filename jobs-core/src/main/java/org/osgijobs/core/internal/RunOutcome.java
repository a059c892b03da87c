package org.osgijobs.core.internal;

import java.util.List;
import java.util.Map;

/**
 * What becomes of one run of a job: the single decision the {@link Dispatcher} makes when a run ends (the handler
 * returned, threw, chose an outcome, overran its timeout, or lost its handler), before anything is settled.
 *
 * @param kind    what to do
 * @param headers the job's headers from now on (attempt count, dead-letter headers)
 * @param delay   seconds before the job runs again, for {@link Kind#RETRY} and {@link Kind#PUT_BACK}
 * @param reason  why, for failures (logs, events, the dead-letter header)
 */
record RunOutcome(Kind kind, Map<String, List<String>> headers, int delay, String reason) {

    /** The possible outcomes of a run. */
    enum Kind {
        /** Done: acknowledge it. */
        ACK,
        /** Failed with attempts left: back after the backoff delay, with the next attempt count. */
        RETRY,
        /** Back without using an attempt (the handler asked, the handler went away, no handler yet). */
        PUT_BACK,
        /** Failed on its last attempt, and the pipeline has a dead-letter pipeline: move it there. */
        DEAD_LETTER,
        /** Failed on its last attempt, or rejected, with nowhere to go: drop it. */
        DROP
    }

    static RunOutcome ack() {
        return new RunOutcome(Kind.ACK, Map.of(), 0, null);
    }

    static RunOutcome putBack(Map<String, List<String>> headers, int delay, String reason) {
        return new RunOutcome(Kind.PUT_BACK, headers, delay, reason);
    }

    /**
     * A failed run: retried while attempts are left, then dead-lettered or dropped.
     *
     * @param pipeline the pipeline the job failed in
     * @param attempt  the attempt that failed, from 1
     */
    static RunOutcome failure(String pipeline, RetryPolicy retry, Map<String, List<String>> headers, int attempt,
            String reason) {
        if (retry.retries(attempt)) {
            return new RunOutcome(Kind.RETRY, Execution.withAttempt(headers, attempt + 1), retry.delayAfter(attempt),
                    reason);
        }
        return lastAttempt(pipeline, retry, headers, attempt, reason);
    }

    /** A run with no attempt left (or rejected by its handler): to the dead-letter pipeline, or dropped. */
    static RunOutcome lastAttempt(String pipeline, RetryPolicy retry, Map<String, List<String>> headers, int attempt,
            String reason) {
        Map<String, List<String>> last = Execution.withAttempt(headers, attempt);
        if (retry.deadLetterPipeline() == null) {
            return new RunOutcome(Kind.DROP, last, 0, reason);
        }
        last.put(Dispatcher.DEAD_LETTER_FROM_HEADER, List.of(pipeline));
        last.put(Dispatcher.ERROR_HEADER, List.of(reason));
        return new RunOutcome(Kind.DEAD_LETTER, last, 0, reason);
    }
}
