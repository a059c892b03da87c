package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;

/**
 * The commands as a shell runs them: through Gogo's own command processor (the one in Felix's console and, embedded,
 * in Karaf's shell), with the session's output captured. What the commands print is what a user or a script sees;
 * Karaf's exec channel ({@code bin/client -b}, ssh exec) shows only that, never a returned value.
 */
public class JobsCommandsShellTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** The process's own error stream: once ThreadIO runs, System.err is Gogo's and would write to itself. */
    private final PrintStream processErr = System.err;
    private CommandSession session;

    @Before
    public void start() {
        runtime.addConstructor(new TestDriver.Factory("test"),
                Map.of(Constructor.DRIVER_NAME, "test", Constants.SERVICE_ID, 1L));
        runtime.activate(Map.of("num_workers", 1));
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        processor.addCommand("jobs", new JobsCommands(runtime));
        processor.addCommand("test", new LineCounter());
        // the log goes to the session's error stream, kept apart here
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, processErr);
    }

    @After
    public void stop() {
        session.close();
        threadIo.stop();
        runtime.deactivate();
    }

    @Test
    public void resultsArePrintedToTheSessionAndNothingIsReturned() throws Exception {
        assertEquals("declared d", run("jobs:declare name=d driver=test priority=3"));
        assertEquals("d", run("jobs:list"));
        String table = run("jobs:stat");
        assertTrue(table, table.startsWith("PIPELINE"));
        assertTrue(table, table.lines().anyMatch(l -> l.matches("d\\s+test\\s+d\\s+0\\s+0\\s+0\\s+false\\s+3")));
        assertEquals(table, run("jobs:stat d"));
        assertEquals("pushed job-1 to d", run("jobs:push d greet hi priority=2 id=job-1"));
        assertTrue(run("jobs:stats d").contains("pushed=1"));
        assertEquals("resumed d", run("jobs:resume d"));
        assertEquals("paused d", run("jobs:pause d"));
        assertEquals("destroyed d", run("jobs:destroy d"));
        assertEquals("", run("jobs:list"));
    }

    @Test
    public void printedLinesFlowThroughAPipe() throws Exception {
        run("jobs:declare name=a driver=test");
        run("jobs:declare name=b driver=test");
        assertEquals("3", run("jobs:stat | test:lines"));
    }

    @Test
    public void everyCommandPrintsItsUsageOnHelp() throws Exception {
        String push = run("jobs:push --help");
        assertTrue(push, push.startsWith("usage: jobs:push <pipeline> <name> [payload]"));
        assertTrue(push, push.contains("count=N"));
        for (String command : new String[] { "list", "stat", "stats", "pause", "resume", "declare", "destroy" }) {
            assertTrue(command, run("jobs:" + command + " --help").startsWith("usage: jobs:" + command));
            assertTrue(command, run("jobs:" + command + " -h").startsWith("usage: jobs:" + command));
        }
    }

    @Test
    public void missingAndExtraWordsAreNamedWithTheUsage() {
        assertEquals("missing the job's name; usage: " + JobsCommandTexts.PUSH_USAGE, failure("jobs:push d"));
        assertEquals("missing the pipeline; usage: pause <pipeline>", failure("jobs:pause"));
        assertEquals("unexpected 'extra'; usage: list", failure("jobs:list extra"));
        assertEquals("unexpected 'b c'; usage: stat [pipeline]", failure("jobs:stat a b c"));
        assertEquals("unknown pipeline 'nowhere'", failure("jobs:stat nowhere"));
    }

    private String run(String statement) throws Exception {
        output.reset();
        assertNull(statement, session.execute(statement));
        return output.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    private String failure(String statement) {
        return assertThrows(statement, JobsException.class, () -> session.execute(statement)).getMessage();
    }

    /** A command that reads its input, as the next command of a pipe does. */
    public static final class LineCounter {
        public void lines() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println(in.lines().count());
        }
    }
}
