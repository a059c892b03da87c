package org.osgijobs.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class FailJobHandlerTest {
    private final FailJobHandler handler = new FailJobHandler();

    @Test
    public void failsEveryAttemptWithoutAPayload() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            FakeJob job = new FakeJob("fail", "", attempt);
            RuntimeException e = assertThrows(RuntimeException.class, () -> handler.handle(job));
            assertTrue(e.getMessage(), e.getMessage().contains("attempt " + attempt));
        }
    }

    @Test
    public void succeedsFromTheAttemptNamedByThePayload() {
        assertThrows(RuntimeException.class, () -> handler.handle(new FakeJob("fail", "3", 1)));
        assertThrows(RuntimeException.class, () -> handler.handle(new FakeJob("fail", "3", 2)));
        handler.handle(new FakeJob("fail", "3", 3));
        handler.handle(new FakeJob("fail", "3", 4));
    }

    @Test
    public void namesAnUnusablePayload() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handle(new FakeJob("fail", "zero", 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("zero"));
        assertEquals(0, FailJobHandler.succeedingAttempt(""));
        assertThrows(IllegalArgumentException.class, () -> FailJobHandler.succeedingAttempt("0"));
    }
}
