package org.osgijobs.benchmarks;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The progress line on standard error: which scenario, which round, how many jobs of it are done. On a terminal a
 * daemon ticker redraws one line in place twice a second; otherwise (output to a file or a CI log) each phase gets
 * a plain line of its own. Finished scenarios always get a line of their own.
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

    /**
     * @param out  where to write
     * @param live redraw one line in place (for a terminal); {@code false} writes one line per phase
     */
    Progress(PrintStream out, boolean live) {
        this.out = out;
        if (live) {
            ticker = Executors.newSingleThreadScheduledExecutor(HandOffBaseline.daemon("bench-progress"));
            ticker.scheduleAtFixedRate(this::draw, 500, 500, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
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
        if (ticker != null) {
            draw();
        } else {
            synchronized (this) {
                out.println(scenario + "  " + what);
                out.flush();
            }
        }
    }

    /** Shows a job counter for the current phase (on a terminal). */
    void counting(IntSupplier jobsDone, int jobsTotal) {
        total = jobsTotal;
        done = jobsDone;
    }

    /** Prints a line of its own below the progress line. */
    synchronized void line(String text) {
        clear();
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

    private void clear() {
        if (ticker != null) {
            out.print("\r" + " ".repeat(WIDTH) + "\r");
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        clear();
        out.flush();
    }
}
