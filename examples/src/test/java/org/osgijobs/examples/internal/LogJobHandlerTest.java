package org.osgijobs.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LogJobHandlerTest {

    @Test
    public void acknowledgesByReturningWithoutRequeueOrNack() {
        FakeJob job = new FakeJob("log", "hello", 1);
        new LogJobHandler().handle(job);
        assertFalse(job.requeued);
        assertFalse(job.nacked);
    }

    @Test
    public void describesEveryPartOfTheJob() {
        String line = JobDescription.of(new FakeJob("log", "hello", 2));
        assertEquals("job log id=id-1 pipeline=default priority=10 attempt=2 headers={trace=[t-1]} payload='hello'",
                line);
    }

    @Test
    public void shortensLongPayloadsAndSaysHowLongTheyWere() {
        String payload = "x".repeat(JobDescription.MAX_PAYLOAD_CHARS + 50);
        String shown = JobDescription.shorten(payload);
        assertTrue(shown, shown.startsWith("'" + "x".repeat(JobDescription.MAX_PAYLOAD_CHARS) + "'..."));
        assertTrue(shown, shown.endsWith("(" + payload.length() + " chars)"));
    }
}
