package org.osgijobs.core.internal;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/**
 * What a pipeline does with a failed job: how many attempts it gets, how long it waits between them (exponential
 * backoff with a cap, in whole seconds because job delays are seconds), and where a job goes when its attempts are
 * used up.
 *
 * @param maxAttempts        runs a job gets in all; 1 means no retry
 * @param initialDelay       seconds before the second attempt
 * @param multiplier         factor applied to the delay for each further attempt
 * @param maxDelay           cap of the delay, in seconds
 * @param deadLetterPipeline pipeline that receives jobs whose attempts are used up, or {@code null}
 * @param noHandlerDelay     seconds before a job with no handler is offered again
 * @param noHandlerRounds    how many times a job finds no handler before it is dead-lettered or dropped
 */
record RetryPolicy(int maxAttempts, int initialDelay, double multiplier, int maxDelay, String deadLetterPipeline,
        int noHandlerDelay, int noHandlerRounds) {

    static final String MAX_ATTEMPTS = "max_attempts";
    static final String RETRY_DELAY = "retry_delay";
    static final String RETRY_MULTIPLIER = "retry_multiplier";
    static final String RETRY_MAX_DELAY = "retry_max_delay";
    static final String DEAD_LETTER_PIPELINE = "dead_letter_pipeline";
    static final String NO_HANDLER_DELAY = "no_handler_delay";
    static final String NO_HANDLER_ROUNDS = "no_handler_rounds";

    /** The policy of a pipeline that sets none of the options. */
    /** 120 rounds of 5 s: a job waits ten minutes for its handler's bundle before it gives up. */
    static final RetryPolicy DEFAULTS = new RetryPolicy(3, 1, 2.0, 60, null, 5, 120);

    /**
     * Reads the policy from a pipeline's options.
     *
     * @throws JobsException naming the option when one is malformed or out of range
     */
    static RetryPolicy of(Pipeline pipeline) {
        int maxAttempts = pipeline.getInt(MAX_ATTEMPTS, DEFAULTS.maxAttempts);
        if (maxAttempts < 1) {
            throw pipeline.bad(MAX_ATTEMPTS, String.valueOf(maxAttempts), "at least 1");
        }
        int initialDelay = nonNegative(pipeline, RETRY_DELAY, DEFAULTS.initialDelay);
        double multiplier = pipeline.getDouble(RETRY_MULTIPLIER, DEFAULTS.multiplier);
        if (multiplier < 1.0) {
            throw pipeline.bad(RETRY_MULTIPLIER, String.valueOf(multiplier), "a number not below 1");
        }
        int maxDelay = nonNegative(pipeline, RETRY_MAX_DELAY, DEFAULTS.maxDelay);
        String deadLetter = pipeline.getString(DEAD_LETTER_PIPELINE, null);
        if (pipeline.name().equals(deadLetter)) {
            throw pipeline.bad(DEAD_LETTER_PIPELINE, deadLetter, "another pipeline than itself");
        }
        int noHandlerDelay = nonNegative(pipeline, NO_HANDLER_DELAY, DEFAULTS.noHandlerDelay);
        int noHandlerRounds = pipeline.getInt(NO_HANDLER_ROUNDS, DEFAULTS.noHandlerRounds);
        if (noHandlerRounds < 1) {
            throw pipeline.bad(NO_HANDLER_ROUNDS, String.valueOf(noHandlerRounds), "at least 1");
        }
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, deadLetter, noHandlerDelay,
                noHandlerRounds);
    }

    /** @return {@code true} when a job that failed on the given attempt gets another one */
    boolean retries(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }

    /**
     * @param failedAttempt the attempt that failed, from 1
     * @return seconds to wait before the next attempt: {@code initialDelay * multiplier^(failedAttempt-1)}, rounded
     *         up, capped at {@code maxDelay}
     */
    int delayAfter(int failedAttempt) {
        double delay = initialDelay * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        return (int) Math.min(maxDelay, Math.ceil(delay));
    }

    private static int nonNegative(Pipeline pipeline, String key, int defaultValue) {
        int value = pipeline.getInt(key, defaultValue);
        if (value < 0) {
            throw pipeline.bad(key, String.valueOf(value), "a number of seconds not below 0");
        }
        return value;
    }
}
