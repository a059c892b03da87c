package org.osgijobs.testing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Driver;

/**
 * A steady push load for fault tests: a thread of its own pushes jobs named {@code load} with the ids
 * {@code job-0}, {@code job-1}, ... into a driver, at most {@code window} without an outcome at once, each tracked in
 * a {@link Ledger}. After a refusal it pauses 20 ms, so that an outage is not a busy loop of refusals.
 */
public final class WindowedProducer implements AutoCloseable {
    private static final long PAUSE_AFTER_REFUSAL_MILLIS = 20;

    private final Driver driver;
    private final String pipeline;
    private final Ledger ledger;
    private final int window;
    private final Semaphore inFlight;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean refusedLately = new AtomicBoolean();
    private final Thread thread;

    /**
     * @param driver   where the jobs go
     * @param pipeline the pipeline named in them
     * @param ledger   where each push and its outcome are tracked
     * @param window   pushes without an outcome at most
     */
    public WindowedProducer(Driver driver, String pipeline, Ledger ledger, int window) {
        this.driver = driver;
        this.pipeline = pipeline;
        this.ledger = ledger;
        this.window = window;
        this.inFlight = new Semaphore(window);
        this.thread = new Thread(this::produce, "test-producer");
    }

    /** @return this, pushing */
    public WindowedProducer start() {
        thread.start();
        return this;
    }

    private void produce() {
        int n = 0;
        while (producing.get()) {
            String id = "job-" + n++;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            ledger.track(id, driver.push(Message.builder("load").id(id).payload("x").pipeline(pipeline).build()))
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            refusedLately.set(true);
                        }
                        inFlight.release();
                    });
            if (refusedLately.getAndSet(false)) {
                try {
                    Thread.sleep(PAUSE_AFTER_REFUSAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops pushing and waits until every push made has its outcome. */
    public void finish() throws InterruptedException {
        producing.set(false);
        thread.join();
        inFlight.acquire(window);
        inFlight.release(window);
    }

    /** Stops pushing (without waiting for the outcomes). */
    @Override
    public void close() {
        producing.set(false);
    }
}
