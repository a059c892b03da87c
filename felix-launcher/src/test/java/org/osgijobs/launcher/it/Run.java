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

    /** util-linux's {@code script}: runs a command on a pseudo-terminal of its own. */
    static final Path SCRIPT = Path.of("/usr/bin/script");

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
        return start(command, home, java.util.Map.of());
    }

    /** Like {@link #start(List, Path)}, with these environment variables set as well. */
    static Run start(List<String> command, Path home, java.util.Map<String, String> environment) throws IOException {
        return start(command, home, ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), environment);
    }

    /**
     * Starts the command on a terminal, as a user at a console: {@link #SCRIPT} gives it one, and passes what is
     * written to it (nothing: the input stays open and empty) as typed. Everything shown goes to standard output.
     */
    static Run startInTerminal(List<String> command, Path home) throws IOException {
        StringBuilder line = new StringBuilder();
        for (String word : command) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return start(List.of(SCRIPT.toString(), "--quiet", "--return", "--command", line.toString(), "/dev/null"),
                home, ProcessBuilder.Redirect.PIPE, java.util.Map.of());
    }

    private static Run start(List<String> command, Path home, ProcessBuilder.Redirect input,
            java.util.Map<String, String> environment) throws IOException {
        Path stdout = home.resolve("stdout.txt");
        Path stderr = home.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(input);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
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
        long pid = jvm().pid();
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + name + " " + pid + " failed");
        }
    }

    /** @return the JVM's process id (what a driver may write into its leases, e.g. driver-jdbc's locked_by) */
    long pid() {
        return jvm().pid();
    }

    /** Types into the terminal of a run {@linkplain #startInTerminal started in one}. */
    void type(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * @return the names of the JVM's threads now (as Linux shows them: 15 characters at most), leaving out those
     *         the JVM adds and removes as it sees fit (JIT compilers, garbage collectors): what is left are the
     *         threads the runtime and its bundles started
     * @throws IOException when the process's task list cannot be read (Linux's /proc)
     */
    List<String> applicationThreads() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(jvm().pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                } catch (NoSuchFileException e) {
                    continue; // ended meanwhile
                }
                if (!name.startsWith("C1 ") && !name.startsWith("C2 ") && !name.startsWith("GC ")
                        && !name.startsWith("G1 ")) {
                    names.add(name);
                }
            }
        }
        java.util.Collections.sort(names);
        return names;
    }

    /** @return the JVM: the process itself (bin/jobs execs java), or its java descendant on a terminal */
    private ProcessHandle jvm() {
        ProcessHandle self = process.toHandle();
        if (isJava(self)) {
            return self;
        }
        return self.descendants().filter(Run::isJava).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under " + self.pid()));
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(c -> Path.of(c).getFileName().toString().equals("java")).orElse(false);
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
        // the JVM too: on a terminal, it is not the process itself
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
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
