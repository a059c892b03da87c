package org.osgijobs.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class SleepJobHandlerTest {
    private final List<Long> sleeps = new ArrayList<>();
    private final SleepJobHandler handler = new SleepJobHandler(sleeps::add);

    @Test
    public void sleepsForThePayloadsMilliseconds() throws Exception {
        handler.configure(config(1000, 5000));
        handler.handle(new FakeJob("sleep", " 250 ", 1));
        assertEquals(List.of(250L), sleeps);
    }

    @Test
    public void sleepsForTheConfiguredDefaultWhenThePayloadIsEmpty() throws Exception {
        handler.configure(config(42, 5000));
        handler.handle(new FakeJob("sleep", "", 1));
        assertEquals(List.of(42L), sleeps);
    }

    @Test
    public void rejectsAPayloadThatIsNotANumber() {
        handler.configure(config(1000, 5000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handle(new FakeJob("sleep", "soon", 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("'soon'"));
        assertEquals(List.of(), sleeps);
    }

    @Test
    public void rejectsASleepLongerThanTheConfiguredMaximum() {
        handler.configure(config(1000, 5000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handle(new FakeJob("sleep", "5001", 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("between 0 and 5000"));
    }

    @Test
    public void rejectsANegativeConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> handler.configure(config(-1, 5000)));
    }

    @Test
    public void anInterruptionEndsTheJobAsAFailure() {
        SleepJobHandler interrupted = new SleepJobHandler(millis -> {
            throw new InterruptedException("cancelled");
        });
        interrupted.configure(config(10, 100));
        assertThrows(InterruptedException.class, () -> interrupted.handle(new FakeJob("sleep", "", 1)));
    }

    private static SleepJobHandler.Config config(long defaultMillis, long maxMillis) {
        return new SleepJobHandler.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SleepJobHandler.Config.class;
            }

            @Override
            public long default_millis() {
                return defaultMillis;
            }

            @Override
            public long max_millis() {
                return maxMillis;
            }
        };
    }
}
