package org.osgijobs.itests;

import java.util.List;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.testing.Ledger;

/**
 * A producer thread that pushes jobs round-robin into some pipelines at a steady pace until closed, and records in a
 * {@link Ledger} every push, the ids the runtime accepted and the errors of the pushes it refused. A refused push is
 * not a lost job: its producer was told.
 */
final class SteadyPusher implements AutoCloseable {
    /** Pushes between two pauses. */
    private static final int BURST = 2;
    private static final long PAUSE_MILLIS = 2;

    private final Jobs jobs;
    private final String jobName;
    private final List<String> pipelines;
    private final Ledger ledger;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable crash;

    private SteadyPusher(Jobs jobs, String jobName, List<String> pipelines, Ledger ledger) {
        this.jobs = jobs;
        this.jobName = jobName;
        this.pipelines = List.copyOf(pipelines);
        this.ledger = ledger;
        this.thread = new Thread(this::run, "itest-steady-pusher");
        this.thread.setDaemon(true);
    }

    /**
     * @param jobs      the runtime
     * @param jobName   the name of the jobs to push
     * @param pipelines where to push them, in turn
     * @param ledger    where the pushes and their outcomes are recorded
     * @return the running pusher
     */
    static SteadyPusher start(Jobs jobs, String jobName, List<String> pipelines, Ledger ledger) {
        SteadyPusher pusher = new SteadyPusher(jobs, jobName, pipelines, ledger);
        pusher.thread.start();
        return pusher;
    }

    /** @return how many pushes were accepted so far */
    int acceptedCount() {
        return ledger.acceptedCount();
    }

    /** Stops pushing and waits for the thread; fails when the thread died of something else than a refusal. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (crash != null) {
            throw new AssertionError("the pusher thread failed", crash);
        }
    }

    private void run() {
        long n = 0;
        try {
            while (running) {
                String pipeline = pipelines.get((int) (n % pipelines.size()));
                Message m = Message.builder(jobName).pipeline(pipeline).payload(Long.toString(n)).build();
                ledger.pushed(m.id());
                try {
                    jobs.push(m);
                    ledger.accepted(m.id());
                } catch (JobsException e) {
                    ledger.refused(m.id(), e.getMessage());
                }
                n++;
                if (n % BURST == 0) {
                    Thread.sleep(PAUSE_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crash = e;
        }
    }
}
