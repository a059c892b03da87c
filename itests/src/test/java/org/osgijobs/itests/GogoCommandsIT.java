package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;

/** The Gogo commands of scope {@code jobs}, called as the shell would call them (no shell installed): what they print. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoCommandsIT extends ItestSupport {

    @Test
    public void theCommandServiceOffersEveryCommand() {
        GogoCommands commands = commands();
        assertTrue("functions: " + List.of(commands.functions()), List.of(commands.functions())
                .containsAll(List.of("list", "stat", "stats", "push", "pause", "resume", "declare", "destroy")));
    }

    @Test
    public void declareListStatResumePushStatsPauseDestroy() {
        GogoCommands commands = commands();
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "gogo.job");

        commands.call("declare", "name=gogo", "driver=memory", "priority=4");
        destroyAfterTest("gogo");
        assertTrue("list: " + commands.call("list"), lines(commands.call("list")).contains("gogo"));
        String stat = String.valueOf(commands.call("stat", "gogo"));
        assertTrue("stat is a table with a header: " + stat, stat.startsWith("PIPELINE") && stat.contains("PRIORITY"));
        String row = lines(stat).get(1);
        assertTrue("row of gogo: " + row, row.startsWith("gogo") && row.contains(" memory ") && row.contains(" 4")
                && row.contains("false"));

        commands.call("resume", "gogo");
        assertTrue(lines(commands.call("stat", "gogo")).get(1).contains("true"));
        Object pushed = commands.call("push", "gogo", "gogo.job", "hello", "priority=2", "h.trace=abc", "id=job-1");
        assertTrue("push answers with the id: " + pushed, String.valueOf(pushed).contains("job-1"));
        await("the pushed job runs", () -> handler.runsOf("job-1") == 1);
        RecordingHandler.Run run = handler.runsOfJob("job-1").get(0);
        assertEquals("hello", run.payload());
        assertEquals(2, run.priority());
        assertEquals("abc", run.header("trace"));
        await("stats show it processed", () -> String.valueOf(commands.call("stats", "gogo")).contains("processed=1"));

        commands.call("push", "gogo", "gogo.job");
        await("a push without payload runs too", () -> handler.count() == 2);

        commands.call("pause", "gogo");
        assertTrue(lines(commands.call("stat", "gogo")).get(1).contains("false"));
        String all = String.valueOf(commands.call("stat"));
        assertTrue("stat without argument lists every pipeline: " + all, all.contains("gogo"));

        commands.call("destroy", "gogo");
        assertFalse(lines(commands.call("list")).contains("gogo"));
    }

    @Test
    public void badCommandInputGetsAnErrorNamingIt() {
        GogoCommands commands = commands();
        commands.call("declare", "name=gogo-bad", "driver=memory");
        destroyAfterTest("gogo-bad");

        assertMessage("job name", () -> commands.call("push", "gogo-bad", "", "payload"));
        assertMessage("'priority'", () -> commands.call("push", "gogo-bad", "x.job", "p", "priority=high"));
        assertMessage("unknown option 'color'", () -> commands.call("push", "gogo-bad", "x.job", "p", "color=red"));
        assertMessage("key=value", () -> commands.call("declare", "name"));
        assertMessage("already exists", () -> commands.call("declare", "name=gogo-bad", "driver=memory"));
        assertMessage("unknown pipeline 'nowhere'", () -> commands.call("stat", "nowhere"));
        assertMessage("unknown pipeline 'nowhere'", () -> commands.call("push", "nowhere", "x.job"));
    }

    private GogoCommands commands() {
        return awaitValue("a service with " + GogoCommands.FILTER, () -> GogoCommands.find(bundleContext),
                c -> c != null);
    }

    private static List<String> lines(Object output) {
        return List.of(String.valueOf(output).split("\\R"));
    }

    private static void assertMessage(String expected, ThrowingRunnable command) {
        JobsException e = expectThrows(JobsException.class, command);
        assertTrue("message '" + e.getMessage() + "' should contain " + expected, e.getMessage().contains(expected));
    }
}
