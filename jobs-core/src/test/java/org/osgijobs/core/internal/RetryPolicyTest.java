package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

public class RetryPolicyTest {

    private static Pipeline pipeline(String... kv) {
        Map<String, String> options = new HashMap<>(Map.of("name", "p", "driver", "memory"));
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return Pipeline.of(options);
    }

    @Test
    public void defaultsGiveThreeAttemptsWithDoublingDelays() {
        RetryPolicy policy = RetryPolicy.of(pipeline());
        assertEquals(3, policy.maxAttempts());
        assertTrue(policy.retries(1));
        assertTrue(policy.retries(2));
        assertFalse(policy.retries(3));
        assertEquals(1, policy.delayAfter(1));
        assertEquals(2, policy.delayAfter(2));
        assertEquals(4, policy.delayAfter(3));
        assertNull(policy.deadLetterPipeline());
        assertEquals(5, policy.noHandlerDelay());
    }

    @Test
    public void delaysGrowByTheMultiplierRoundUpAndStopAtTheCap() {
        RetryPolicy policy = RetryPolicy.of(pipeline("retry_delay", "3", "retry_multiplier", "1.5",
                "retry_max_delay", "10", "max_attempts", "10"));
        assertEquals(3, policy.delayAfter(1));
        assertEquals(5, policy.delayAfter(2)); // 4.5 rounded up
        assertEquals(7, policy.delayAfter(3)); // 6.75
        assertEquals(10, policy.delayAfter(4)); // 10.125 capped
        assertEquals(10, policy.delayAfter(50));
    }

    @Test
    public void zeroDelayRetriesAtOnce() {
        assertEquals(0, RetryPolicy.of(pipeline("retry_delay", "0")).delayAfter(2));
    }

    @Test
    public void malformedOptionsAreNamed() {
        assertMessage("option 'max_attempts' must be an integer from -2147483648 to 2147483647, got 'many'", "max_attempts", "many");
        assertMessage("option 'max_attempts' must be at least 1, got '0'", "max_attempts", "0");
        assertMessage("option 'retry_multiplier' must be a number not below 1", "retry_multiplier", "0.5");
        assertMessage("option 'retry_delay' must be a number of seconds not below 0", "retry_delay", "-1");
        assertMessage("option 'dead_letter_pipeline' must be another pipeline than itself", "dead_letter_pipeline",
                "p");
    }

    private static void assertMessage(String expected, String key, String value) {
        JobsException e = assertThrows(JobsException.class, () -> RetryPolicy.of(pipeline(key, value)));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': "));
    }
}
