package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.testing.TestQueue;

/** The compact per-job form: one object for a plain job, and nothing of the pushed message lost. */
public class MemoryJobTest extends DriverTestSupport {

    @Test
    public void aPlainJobIsOneObjectHoldingNoMessageAndNoMap() {
        MemoryJob job = MemoryJob.of(driver(new TestQueue(PIPELINE, 1)), message("plain").payload("x").build(), 10,
                1, 0);

        assertSame(MemoryJob.class, job.getClass());
        for (Field field : instanceFields(job.getClass())) {
            assertFalse(field.getName() + " holds a message", Message.class.isAssignableFrom(field.getType()));
            assertFalse(field.getName() + " holds a map", Map.class.isAssignableFrom(field.getType()));
        }
        // the driver, name, id, payload; priority, sequence; the phase with its flags: 48 bytes with compressed oops
        assertEquals(7, instanceFields(job.getClass()).size());
    }

    @Test
    public void headersADelayOrADueTimeMakeADetailedJob() {
        MemoryDriver driver = driver(new TestQueue(PIPELINE, 1));

        assertSame(DetailedMemoryJob.class, MemoryJob.of(driver, message("h").header("k", "v").build(), 1, 1, 0)
                .getClass());
        assertSame(DetailedMemoryJob.class, MemoryJob.of(driver, message("d").delay(3).build(), 1, 1, 0).getClass());
        assertSame(DetailedMemoryJob.class, MemoryJob.of(driver, msg("due"), 1, 1, 42).getClass());
        assertEquals(42, MemoryJob.of(driver, msg("due"), 1, 1, 42).due());
    }

    @Test
    public void theContextIsEqualToThePushedMessage() {
        MemoryDriver driver = driver(new TestQueue(PIPELINE, 1));
        List<Message> pushed = List.of(msg("plain"),
                message("own-priority").priority(3).payload("abc").build(),
                message("auto").autoAck(true).build(),
                message("headers").header("to", "a@b", "c@d").header("k", "v").build(),
                message("delayed").delay(5).priority(7).autoAck(true).payload("p").build(),
                Message.builder("generated-id").pipeline(PIPELINE).build());

        for (Message message : pushed) {
            long effective = message.priority() != 0 ? message.priority() : 10;
            MemoryJob job = MemoryJob.of(driver, message, effective, 1, message.delay() > 0 ? 99 : 0);

            assertEquals(message, job.context());
            assertEquals(message.id(), job.id());
            assertEquals(PIPELINE, job.groupId());
            assertEquals(effective, job.priority());
            assertEquals(message.autoAck(), job.autoAck());
            assertEquals(message.headers(), job.headers());
        }
    }

    @Test
    public void aPriorityInheritedFromThePipelineStaysInheritedInTheContext() {
        MemoryJob job = MemoryJob.of(driver(new TestQueue(PIPELINE, 1)), msg("inherit"), 10, 1, 0);

        assertEquals(10, job.priority());
        assertEquals("a retry or dead letter inherits its pipeline's priority again", 0, job.context().priority());
    }

    @Test
    public void theFlagsSurviveTakingAndSettling() {
        MemoryJob job = MemoryJob.of(driver(new TestQueue(PIPELINE, 1)), message("auto").priority(2).autoAck(true)
                .build(), 2, 1, 0);

        job.taken();
        assertTrue(job.autoAck());
        assertTrue(job.settle());
        assertFalse("settled once only", job.settle());
        assertTrue(job.isSettled());
        assertTrue(job.autoAck());
        assertEquals(2, job.context().priority());
    }

    @Test
    public void eachBodyIsACopy() {
        MemoryJob job = MemoryJob.of(driver(new TestQueue(PIPELINE, 1)), message("body").payload("abc").build(), 1,
                1, 0);

        byte[] first = job.body();
        first[0] = 'x';

        assertArrayEquals("abc".getBytes(), job.body());
        assertNotSame(job.body(), job.body());
    }

    private static List<Field> instanceFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }
}
