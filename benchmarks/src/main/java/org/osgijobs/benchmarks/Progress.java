package org.osgijobs.benchmarks;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The progress line on standard error: which scenario, which round, how many jobs of it are done. A daemon ticker
 * redraws it twice a second; finished scenarios get a line of their own.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 110;
    private static final IntSupplier NOTHING = () -> -1;

    private final PrintStream out;
    private final ScheduledExecutorService ticker;
    private volatile String scenario = "";
    private volatile String phase = "";
    private volatile IntSupplier done = NOTHING;
    private volatile int total;

    Progress(PrintStream out) {
        this.out = out;
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::draw, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Starts a scenario: the {@code index}-th of {@code count}. */
    void scenario(String name, int index, int count) {
        scenario = "[" + index + "/" + count + "] " + name;
        phase("starting");
    }

    /** Shows what the scenario does now; the job counter is cleared until {@link #counting} is called. */
    void phase(String what) {
        phase = what;
        done = NOTHING;
        draw();
    }

    /** Shows a job counter for the current phase. */
    void counting(IntSupplier jobsDone, int jobsTotal) {
        total = jobsTotal;
        done = jobsDone;
    }

    /** Prints a line of its own below the progress line. */
    synchronized void line(String text) {
        out.print("\r" + " ".repeat(WIDTH) + "\r");
        out.println(text);
        out.flush();
    }

    private synchronized void draw() {
        int count = done.getAsInt();
        String line = scenario + "  " + phase + (count >= 0 ? String.format("  %,d/%,d jobs", count, total) : "");
        if (line.length() > WIDTH) {
            line = line.substring(0, WIDTH);
        }
        out.print("\r" + line + " ".repeat(WIDTH - line.length()));
        out.flush();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        out.print("\r" + " ".repeat(WIDTH) + "\r");
        out.flush();
    }
}
