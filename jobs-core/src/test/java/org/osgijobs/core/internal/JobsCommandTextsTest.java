package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;

public class JobsCommandTextsTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final TestDriver.Factory drivers = new TestDriver.Factory("test");
    private final JobsCommandTexts commands = new JobsCommandTexts(runtime);
    private final BlockingQueue<JobContext> handled = new LinkedBlockingQueue<>();

    @Before
    public void start() {
        runtime.addConstructor(drivers, Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, 1L));
        runtime.activate(Map.of("num_workers", 1));
        JobHandler h = handled::add;
        runtime.addHandler(h, Map.of(JobHandler.JOB_NAME, "*", Constants.SERVICE_ID, 2L));
    }

    @After
    public void stop() {
        runtime.deactivate();
    }

    @Test
    public void declarePushStatPauseResumeDestroy() throws Exception {
        assertEquals("declared d", commands.declare("name=d", "driver=test", "priority=3"));
        assertEquals("d", commands.list());
        String table = commands.stat();
        assertTrue(table, table.startsWith("PIPELINE"));
        assertTrue(table, table.lines().anyMatch(l -> l.matches("d\\s+test\\s+d\\s+0\\s+0\\s+0\\s+false\\s+3")));
        assertEquals("resumed d", commands.resume("d"));
        String pushed = commands.push("d", "greet", "hi", "priority=2", "delay=0", "id=job-1", "h.trace=t1",
                "h.trace=t2");
        assertEquals("pushed job-1 to d", pushed);
        JobContext job = handled.poll(10, TimeUnit.SECONDS);
        assertEquals("greet", job.name());
        assertEquals("hi", job.payloadAsString());
        assertEquals(2, job.priority());
        assertEquals(List.of("t1", "t2"), job.headers().get("trace"));
        assertTrue(commands.stats("d").contains("pushed=1"));
        assertEquals("paused d", commands.pause("d"));
        assertTrue(commands.stat("d").contains("false"));
        assertEquals("destroyed d", commands.destroy("d"));
        assertEquals("", commands.list());
    }

    @Test
    public void countPushesManyCopiesEachWithItsOwnIdAndStopsAtTheFirstRefusal() throws Exception {
        commands.declare("name=bulk", "driver=test");
        assertEquals("pushed 2500 jobs to bulk", commands.push("bulk", "x", "p", "count=2500"));
        assertEquals(2500, drivers.last().waiting.stream().map(m -> m.id()).distinct().count());

        commands.declare("name=small", "driver=test");
        drivers.last().capacity = 3; // the driver refuses the fourth job
        JobsException full = assertThrows(JobsException.class, () -> commands.push("small", "x", "", "count=10"));
        assertTrue(full.getMessage(), full.getMessage().startsWith("pushed 3 of 10 jobs to 'small', then: "));
        assertTrue(full.getMessage(), full.getMessage().contains("test driver full"));
    }

    @Test
    public void aMissingArgumentIsNamedWithTheUsageAndLongNamesAreCut() {
        assertEquals("missing the job's name; usage: " + JobsCommandTexts.PUSH_USAGE,
                assertThrows(JobsException.class, () -> commands.push("d")).getMessage());
        assertTrue(assertThrows(JobsException.class, commands::push).getMessage()
                .startsWith("missing the pipeline and the job's name; usage: push <pipeline> <name>"));
        assertEquals("missing the pipeline; usage: pause <pipeline>",
                assertThrows(JobsException.class, commands::pause).getMessage());
        assertTrue(assertThrows(JobsException.class, () -> commands.declare()).getMessage()
                .contains("usage: declare name=<name> driver=<driver>"));
        String longName = "n".repeat(2000);
        commands.declare("name=" + longName, "driver=test");
        String table = commands.stat();
        assertTrue("no row is wider than the capped columns", table.lines().allMatch(l -> l.length() < 200));
        assertTrue(table, table.contains("n".repeat(39) + "\u2026"));
    }

    @Test
    public void aKeyValueRightAfterTheNameIsAnOptionOrAnErrorNeverThePayload() throws Exception {
        commands.declare("name=opt", "driver=test");
        commands.resume("opt");
        commands.push("opt", "x", "priority=1");
        JobContext job = handled.poll(10, TimeUnit.SECONDS);
        assertEquals(1, job.priority());
        assertEquals("", job.payloadAsString());
        assertTrue(assertThrows(JobsException.class, () -> commands.push("opt", "x", "priorty=5")).getMessage()
                .contains("unknown option 'priorty'"));
        commands.push("opt", "x", "payload=a=b", "priority=2");
        assertEquals("a=b", handled.poll(10, TimeUnit.SECONDS).payloadAsString());
        commands.push("opt", "x", "plain text");
        assertEquals("plain text", handled.poll(10, TimeUnit.SECONDS).payloadAsString());
    }

    @Test
    public void badArgumentsAreNamed() {
        commands.declare("name=d", "driver=test");
        assertEquals("option 'priority' must be an integer from 0 to 9223372036854775807, got 'high'",
                assertThrows(JobsException.class, () -> commands.push("d", "x", "", "priority=high")).getMessage());
        assertEquals("option 'delay' must be an integer from 0 to 2147483647, got '4294967301'",
                assertThrows(JobsException.class, () -> commands.push("d", "x", "", "delay=4294967301"))
                        .getMessage());
        assertEquals("push: option 'auto_ack' must be true or false, got 'yes'",
                assertThrows(JobsException.class, () -> commands.push("d", "x", "", "auto_ack=yes")).getMessage());
        assertTrue(assertThrows(JobsException.class, () -> commands.push("d", "x", "", "count=2", "id=a"))
                .getMessage().contains("'id' and 'count' exclude each other"));
        assertTrue(assertThrows(JobsException.class, () -> commands.push("d", "x", "", "colour=red")).getMessage()
                .contains("unknown option 'colour'"));
        assertEquals("option 'oops' must be key=value",
                assertThrows(JobsException.class, () -> commands.declare("oops")).getMessage());
    }
}
