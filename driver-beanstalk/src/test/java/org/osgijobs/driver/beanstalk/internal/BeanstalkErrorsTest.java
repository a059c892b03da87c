package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestDriverContext;
import org.osgijobs.testing.TestQueue;

/** Without a server, and with bad input: clear errors, nothing else taken down. */
public class BeanstalkErrorsTest {

    private static Map<String, Object> options() {
        return Map.of("name", "p", "driver", "beanstalk", "timeout", "3", "reserve_timeout", "1");
    }

    @Test
    public void pushesWithoutAServerFailWithinTheTimeoutNamingIt() throws Exception {
        BeanstalkDriver d = new BeanstalkDriver(Pipeline.of(options()), ConnectionSettings.of("127.0.0.1", 1, 30),
                new TestQueue("p", 10), x -> {
                });
        d.start();
        try {
            d.run(Pipeline.of(options()));
            long start = System.nanoTime();
            try {
                d.push(Message.builder("j").id("1").pipeline("p").build()).toCompletableFuture().get(10,
                        TimeUnit.SECONDS);
                fail("pushed without a server");
            } catch (ExecutionException e) {
                JobsException j = (JobsException) e.getCause();
                assertEquals(JobsException.Kind.UNAVAILABLE, j.kind());
                assertTrue(j.getMessage(), j.getMessage().contains("127.0.0.1:1"));
                assertTrue(j.getMessage(), j.getMessage().contains("job 'j' (1)"));
            }
            assertTrue("within the timeout", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
            Poll.until("the state shows the outage", Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> d.state().errorMessage().contains("127.0.0.1:1"), () -> d.state().toString());
            assertFalse(d.state().ready());
        } finally {
            d.stop();
        }
    }

    @Test
    public void aBadConfigurationFailsEveryPipelineNamingIt() {
        BeanstalkConstructor c = new BeanstalkConstructor();
        c.activate(Map.of("addr", "http://127.0.0.1:11300"));
        try {
            c.create(TestDriverContext.of(Pipeline.of(options()), new TestQueue("p", 10)));
            fail("built a driver from a bad configuration");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("'addr'"));
        }
        assertEquals("beanstalk", c.name());
    }

    @Test
    public void aBadPipelineOptionFailsOnlyThatPipeline() {
        BeanstalkConstructor c = new BeanstalkConstructor();
        c.activate(Map.of());
        try {
            c.create(TestDriverContext.of(Pipeline.of(Map.of("name", "p", "driver", "beanstalk", "tube_priority",
                    "urgent")), new TestQueue("p", 10)));
            fail("built a driver with a bad option");
        } catch (JobsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'tube_priority'"));
        }
        assertTrue(c.drivers().isEmpty());
        c.deactivate();
    }

    @Test
    public void aPushForAnotherPipelineIsRefused() throws Exception {
        BeanstalkDriver d = new BeanstalkDriver(Pipeline.of(options()), ConnectionSettings.of("127.0.0.1", 1, 30),
                new TestQueue("p", 10), x -> {
                });
        try {
            d.push(Message.builder("j").id("1").pipeline("other").build()).toCompletableFuture().get();
            fail("took a job of another pipeline");
        } catch (ExecutionException e) {
            assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("'other'"));
        } finally {
            d.stop();
        }
    }
}
