package org.osgijobs.launcher.it;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running distribution process: its output goes to files in its home (no pipe can fill up and block it),
 * every wait is bounded, and {@link #close()} kills whatever is still running.
 */
final class Run implements AutoCloseable {
    private static final long POLL_MILLIS = 50;

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Path log;

    private Run(Process process, Path stdout, Path stderr, Path log) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.log = log;
    }

    static Run start(List<String> command, Path home) throws IOException {
        Path stdout = home.resolve("stdout.txt");
        Path stderr = home.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return new Run(builder.start(), stdout, stderr, home.resolve("log/jobs.log"));
    }

    /** @return what the process printed on standard output so far (command echoes and results) */
    String stdout() throws IOException {
        return read(stdout);
    }

    /** @return the log so far (log/jobs.log: everything the runtime logged) */
    String log() throws IOException {
        return read(log);
    }

    /** Waits until standard output contains the text {@code times} times; fails with both outputs if not. */
    void awaitStdout(String text, int times, Duration timeout) throws Exception {
        awaitIn(this::stdout, text, times, timeout, "standard output");
    }

    /** Waits until the log contains the text {@code times} times; fails with both outputs if not. */
    void awaitLog(String text, int times, Duration timeout) throws Exception {
        awaitIn(this::log, text, times, timeout, "log");
    }

    /** Waits for the process to end; kills it and fails when it does not within the timeout. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the distribution did not exit within " + timeout.toSeconds() + " s\n" + outputs());
        }
        return process.exitValue();
    }

    /** @return whether the process still runs */
    boolean alive() {
        return process.isAlive();
    }

    /** Sends a signal (TERM, INT) to the JVM, as Ctrl-C or a service manager would. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** @return both outputs, for failure messages */
    String outputs() throws IOException {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + read(stderr);
    }

    static int count(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface Source {
        String read() throws IOException;
    }

    private void awaitIn(Source source, String text, int times, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(source.read(), text) < times) {
            if (!process.isAlive()) {
                fail("the distribution exited (" + process.exitValue() + ") before its " + what + " showed '" + text
                        + "' " + times + " time(s)\n" + outputs());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the " + what + " did not show '" + text + "' " + times + " time(s) within "
                        + timeout.toSeconds() + " s\n" + outputs());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
