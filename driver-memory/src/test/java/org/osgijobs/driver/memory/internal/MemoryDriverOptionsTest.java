package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.TestQueue;

/** Malformed options and misdirected input get errors that name what was wrong. */
public class MemoryDriverOptionsTest extends DriverTestSupport {

    @Test
    public void malformedPrefetchIsRefused() {
        assertRefused("pipeline 'p': option 'prefetch' must be an integer from -2147483648 to 2147483647, got 'many'", "prefetch", "many");
        assertRefused("pipeline 'p': option 'prefetch' must be at least 1, got '0'", "prefetch", "0");
        assertRefused("pipeline 'p': option 'prefetch' must be at least 1, got '-3'", "prefetch", "-3");
    }

    @Test
    public void malformedPriorityIsRefused() {
        assertRefused("pipeline 'p': option 'priority' must be an integer, got 'high'", "priority", "high");
        assertRefused("pipeline 'p': option 'priority' must be a number not below 0, got '-1'", "priority", "-1");
    }

    @Test
    public void optionsAreReadAndReported() {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        MemoryDriver driver = driver(queue, "priority", "7", "prefetch", "2");
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 0, 0, 0, false, 7, ""), driver.state());
        driver.run(pipeline("priority", "7", "prefetch", "2"));
        pushAll(driver, "a", "b", "c");
        assertEquals(2, queue.size());
        assertEquals(7, queue.poll().priority());
    }

    @Test
    public void aJobForAnotherPipelineIsRefused() {
        MemoryDriver driver = running(new TestQueue(DriverTestSupport.PIPELINE, 10));
        JobsException e = failure(driver.push(Message.builder("a").pipeline("q").build()));
        assertEquals("pipeline 'p': memory driver got job 'a' for pipeline 'q'", e.getMessage());
        e = failure(driver.push(Message.builder("a").build()));
        assertEquals("pipeline 'p': job 'a' names no pipeline", e.getMessage());
        assertEquals(0, driver.state().active() + driver.state().reserved());
    }

    @Test
    public void operationsOnAnotherPipelineAreRefused() {
        MemoryDriver driver = driver(new TestQueue(DriverTestSupport.PIPELINE, 10));
        for (Runnable op : new Runnable[] { () -> driver.pause("q"), () -> driver.resume("q") }) {
            try {
                op.run();
                fail("another pipeline's name must be refused");
            } catch (JobsException e) {
                assertEquals("pipeline 'p': memory driver cannot serve pipeline 'q'", e.getMessage());
            }
        }
        assertTrue(!driver.state().ready());
    }

    private void assertRefused(String expected, String key, String value) {
        try {
            driver(new TestQueue(DriverTestSupport.PIPELINE, 10), key, value);
            fail(key + "=" + value + " must be refused");
        } catch (JobsException e) {
            assertEquals(expected, e.getMessage());
        }
    }

    @Test
    public void aFailingQueueFailsThePushInsteadOfThrowing() {
        Queue broken = new DelegatingQueue(new TestQueue(DriverTestSupport.PIPELINE, 10)) {
            @Override
            public void insert(Job job) {
                throw new IllegalStateException("queue closed");
            }

            @Override
            public boolean offer(Job job) {
                throw new IllegalStateException("queue closed");
            }
        };
        MemoryDriver direct = new MemoryDriver(pipeline(), broken, timer);
        direct.run(pipeline());
        JobsException e = failure(direct.push(msg("a")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': the runtime's queue refused job a"));
        assertEquals("its slot is given back", 0, direct.state().active());

        MemoryDriver buffering = new MemoryDriver(pipeline(), broken, timer);
        push(buffering, msg("a")); // paused: buffered, the queue is not touched
        try {
            buffering.run(pipeline());
            fail("the queue's failure reaches the caller of run");
        } catch (IllegalStateException expected) {
            assertEquals("queue closed", expected.getMessage());
        }
        e = failure(buffering.push(msg("b")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'p': push failed"));
    }
}
