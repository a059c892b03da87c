package org.osgijobs.driver.local.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * A job of a local pipeline on its way through the runtime: read from the file when it moved to the runtime's queue,
 * it stays in the file until it is settled. Only jobs handed to the runtime exist as objects (at most
 * {@code prefetch} of them), so the small per-job state here costs little.
 */
final class LocalJob implements Job {
    static final int WAITING = 0;
    static final int TAKEN = 1;
    static final int SETTLED = 2;

    private final LocalDriver driver;
    private final JobRecord record;
    private final JobIndex.Entry entry;
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    private volatile boolean settledOutsideTheFile;

    LocalJob(LocalDriver driver, JobRecord record, JobIndex.Entry entry) {
        this.driver = driver;
        this.record = record;
        this.entry = entry;
    }

    boolean belongsTo(LocalDriver owner) {
        return driver == owner;
    }

    JobRecord record() {
        return record;
    }

    JobIndex.Entry entry() {
        return entry;
    }

    /**
     * Settles the job once.
     *
     * @return the phase it was in before ({@link #WAITING} or {@link #TAKEN}), or {@link #SETTLED} when it had been
     *         settled already (the call then changes nothing)
     */
    int settleOnce() {
        return phase.getAndSet(SETTLED);
    }

    /** The job was settled after its driver stopped or failed: the file still holds it as not settled. */
    void settledOutsideTheFile() {
        settledOutsideTheFile = true;
    }

    boolean isSettledOutsideTheFile() {
        return settledOutsideTheFile;
    }

    /** @return whether a worker took the job and has not settled it */
    boolean isTaken() {
        return phase.get() == TAKEN;
    }

    /** @return {@code true} when the job was waiting in the runtime's queue and is now withdrawn from it */
    boolean withdrawn() {
        return phase.compareAndSet(WAITING, SETTLED);
    }

    @Override
    public String id() {
        return record.message().id();
    }

    @Override
    public String groupId() {
        return record.message().pipeline();
    }

    @Override
    public long priority() {
        return record.priority();
    }

    @Override
    public String name() {
        return record.message().name();
    }

    @Override
    public byte[] body() {
        return record.message().payload();
    }

    @Override
    public Map<String, List<String>> headers() {
        return record.message().headers();
    }

    @Override
    public boolean autoAck() {
        return record.message().autoAck();
    }

    @Override
    public void taken() {
        if (phase.compareAndSet(WAITING, TAKEN)) {
            driver.jobTaken(this);
        }
    }

    @Override
    public Message context() {
        return record.message();
    }

    @Override
    public Custody settle(Settlement settlement) {
        return driver.settle(this, settlement);
    }

    @Override
    public String toString() {
        return "LocalJob[" + id() + " '" + name() + "' in " + groupId() + ", priority " + priority() + ", #"
                + record.sequence() + "]";
    }
}
