package org.osgijobs.core.internal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Supplier;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;

/**
 * Gogo commands in scope {@code jobs}, for the Felix console, scripts, and Karaf's shell (local, over ssh, and
 * {@code bin/client} exec). Each command prints its result to the session's output and returns nothing: Karaf's
 * exec channel drops a command's return value, and a shell that prints returned values would print a printed
 * result twice. Printing goes through {@code System.out}, which Gogo (Felix's and the one inside Karaf) routes to
 * the calling session, so pipes work on the printed lines ({@code jobs:stat | grep orders}).
 * <p>
 * Every command takes {@code -h}/{@code --help} and prints its usage. The words after the command are taken as
 * they come and checked here (rather than in Gogo overloads), so that a missing or extra word gets a message that
 * names it with the usage, never Gogo's "Cannot coerce". Bad input is a {@link JobsException} naming the problem;
 * the shell prints its message. What each command does is {@link JobsCommandTexts}.
 * <p>
 * The Gogo package is imported optionally: without Gogo the annotations are not there and nothing calls this.
 */
@Component(service = JobsCommands.class, property = { "osgi.command.scope=jobs",
        "osgi.command.function=list", "osgi.command.function=stat", "osgi.command.function=stats",
        "osgi.command.function=push", "osgi.command.function=pause", "osgi.command.function=resume",
        "osgi.command.function=declare", "osgi.command.function=destroy" })
public final class JobsCommands {
    static final String LIST = "lists the pipelines' names, one a line";
    static final String STAT = "shows the state of every pipeline, or of one, as a table (driver, queue, jobs active, "
            + "delayed and reserved, READY: consuming, priority, error)";
    static final String STATS = "shows one pipeline's counters: pushed, processed, failed, retried, "
            + "dead-lettered, in flight...";
    static final String PUSH = "pushes a job (an empty payload when none is given); usage: "
            + JobsCommandTexts.PUSH_USAGE;
    static final String PUSH_WORDS = "the pipeline; the job's name: the handler that takes it; the payload (text; "
            + "payload=<text> for one with '='); then " + JobsCommandTexts.PUSH_OPTIONS;
    static final String PAUSE = "pauses a pipeline: it takes pushes and runs no job until resumed (kept across "
            + "restarts)";
    static final String RESUME = "resumes a paused pipeline";
    static final String DECLARE = "declares a pipeline (kept across restarts until destroyed); usage: "
            + JobsCommandTexts.DECLARE_USAGE;
    static final String DECLARE_WORDS = "name=<name> driver=<driver> and the pipeline's other options as key=value";
    static final String DESTROY = "destroys a declared pipeline and its queued jobs (one from a configuration "
            + "file: delete the file)";
    static final String HELP = "prints the command's usage";
    static final String WORDS = "the command's arguments (see --help)";
    static final String PIPELINE = "the pipeline";

    private final JobsCommandTexts texts;

    @Activate
    public JobsCommands(@Reference Jobs jobs) {
        this.texts = new JobsCommandTexts(jobs);
    }

    @Descriptor(LIST)
    public void list(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(WORDS) String... words) {
        run(help, "list", LIST, null, () -> {
            atMost("list", 0, words);
            return texts.list();
        });
    }

    @Descriptor(STAT)
    public void stat(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PIPELINE) String... words) {
        run(help, "stat [pipeline]", STAT, null, () -> {
            atMost("stat [pipeline]", 1, words);
            return words.length == 0 ? texts.stat() : texts.stat(words[0]);
        });
    }

    @Descriptor(STATS)
    public void stats(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PIPELINE) String... words) {
        run(help, "stats <pipeline>", STATS, null, () -> {
            atMost("stats <pipeline>", 1, words);
            return words.length == 0 ? texts.stats() : texts.stats(words[0]);
        });
    }

    @Descriptor(PUSH)
    public void push(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PUSH_WORDS) String... words) {
        run(help, JobsCommandTexts.PUSH_USAGE, "pushes a job (an empty payload when none is given)",
                JobsCommandTexts.PUSH_OPTIONS, () -> {
            switch (words.length) {
            case 0:
                return texts.push();
            case 1:
                return texts.push(words[0]);
            case 2:
                return texts.push(words[0], words[1]);
            default:
                return texts.push(words[0], words[1], words[2], Arrays.copyOfRange(words, 3, words.length));
            }
        });
    }

    @Descriptor(PAUSE)
    public void pause(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PIPELINE) String... words) {
        run(help, "pause <pipeline>", PAUSE, null, () -> {
            atMost("pause <pipeline>", 1, words);
            return words.length == 0 ? texts.pause() : texts.pause(words[0]);
        });
    }

    @Descriptor(RESUME)
    public void resume(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PIPELINE) String... words) {
        run(help, "resume <pipeline>", RESUME, null, () -> {
            atMost("resume <pipeline>", 1, words);
            return words.length == 0 ? texts.resume() : texts.resume(words[0]);
        });
    }

    @Descriptor(DECLARE)
    public void declare(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(DECLARE_WORDS) String... words) {
        run(help, JobsCommandTexts.DECLARE_USAGE, "declares a pipeline (kept across restarts until destroyed)",
                "options: name=<pipeline>, driver=<driver name> and the pipeline's options as key=value "
                        + "(priority, prefetch, retries, ...: see the README's configuration reference)",
                () -> texts.declare(words));
    }

    @Descriptor(DESTROY)
    public void destroy(@Descriptor(HELP) @Parameter(names = { "-h", "--help" }, presentValue = "true",
            absentValue = "false") boolean help, @Descriptor(PIPELINE) String... words) {
        run(help, "destroy <pipeline>", DESTROY, null, () -> {
            atMost("destroy <pipeline>", 1, words);
            return words.length == 0 ? texts.destroy() : texts.destroy(words[0]);
        });
    }

    /** Prints the usage when asked, else what the command returns. */
    private static void run(boolean help, String usage, String description, String details,
            Supplier<String> command) {
        String text = help ? usageText(usage, description, details) : command.get();
        PrintStream out = System.out;
        out.println(text);
        out.flush();
    }

    static String usageText(String usage, String description, String details) {
        String nl = System.lineSeparator();
        return "usage: jobs:" + usage + nl + "  " + description + (details == null ? "" : nl + "  " + details);
    }

    private static void atMost(String usage, int max, String[] words) {
        if (words.length > max) {
            String extra = String.join(" ", Arrays.copyOfRange(words, max, words.length));
            throw new JobsException(JobsException.Kind.BAD_INPUT, "unexpected '" + extra + "'; usage: " + usage);
        }
    }
}
