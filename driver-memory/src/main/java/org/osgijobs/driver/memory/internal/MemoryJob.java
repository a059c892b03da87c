package org.osgijobs.driver.memory.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * One job held by a {@link MemoryDriver}: the pushed message, its effective priority and its place in the
 * driver's order. Deliberately small (no per-job maps, futures or timers): a paused pipeline may hold millions.
 */
final class MemoryJob implements Job {

    /** Ready order: priority, then the order in which jobs became ready (FIFO among equal priorities). */
    static final Comparator<MemoryJob> READY_ORDER = (a, b) -> {
        int byPriority = Long.compare(a.priority, b.priority);
        return byPriority != 0 ? byPriority : Long.compare(a.sequence, b.sequence);
    };

    /** Delay order: due time (compared by difference, as {@link System#nanoTime()} requires), then sequence. */
    static final Comparator<MemoryJob> DUE_ORDER = (a, b) -> {
        int byDue = Long.compare(a.due - b.due, 0);
        return byDue != 0 ? byDue : Long.compare(a.sequence, b.sequence);
    };

    // Where the job is: waiting (in the buffer or the runtime's queue), taken by a worker, or settled.
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int SETTLED = 2;

    // A VarHandle over an int field instead of an atomic object: the phase costs 4 bytes per job, not 16.
    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(MemoryJob.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemoryDriver driver;
    private final Message message;
    private final long priority;
    private final long due;
    // Written under the driver's lock only: when the job is created and again when its delay has passed.
    private long sequence;
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    /**
     * @param driver   the driver that holds the job and receives its outcome
     * @param message  the job as pushed, with its current headers
     * @param priority the effective priority (the message's, or the pipeline's when the message's is 0)
     * @param sequence its place among jobs of equal priority
     * @param due      the {@link System#nanoTime()} at which a delayed job becomes ready; ignored otherwise
     */
    MemoryJob(MemoryDriver driver, Message message, long priority, long sequence, long due) {
        this.driver = driver;
        this.message = message;
        this.priority = priority;
        this.sequence = sequence;
        this.due = due;
    }

    boolean belongsTo(MemoryDriver owner) {
        return driver == owner;
    }

    Message message() {
        return message;
    }

    /** @return its place among jobs of equal priority; read under the driver's lock */
    long sequence() {
        return sequence;
    }

    long due() {
        return due;
    }

    void resequence(long newSequence) {
        this.sequence = newSequence;
    }

    boolean isSettled() {
        return (int) PHASE.getVolatile(this) == SETTLED;
    }

    /**
     * Settles the job once: a second settlement is refused, so it cannot free a second slot.
     *
     * @return {@code true} for the first settlement of this job only
     */
    boolean settle() {
        while (true) {
            int current = (int) PHASE.getVolatile(this);
            if (current == SETTLED) {
                return false;
            }
            if (PHASE.compareAndSet(this, current, SETTLED)) {
                if (current == TAKEN) {
                    driver.takenJobSettled();
                }
                return true;
            }
        }
    }

    @Override
    public String id() {
        return message.id();
    }

    @Override
    public String groupId() {
        return message.pipeline();
    }

    @Override
    public long priority() {
        return priority;
    }

    @Override
    public String name() {
        return message.name();
    }

    @Override
    public byte[] body() {
        return message.payload();
    }

    @Override
    public Map<String, List<String>> headers() {
        return message.headers();
    }

    /** Marks the job as at a worker, so the driver's state tells it from jobs still waiting in the queue. */
    @Override
    public void taken() {
        if ((int) PHASE.getVolatile(this) == WAITING && PHASE.compareAndSet(this, WAITING, TAKEN)) {
            driver.jobTaken();
        }
    }

    @Override
    public boolean autoAck() {
        return message.autoAck();
    }

    @Override
    public Message context() {
        return message;
    }

    /** Ack and reject both forget the job (nothing else holds it); a requeue stores it again as a new one. */
    @Override
    public Custody settle(Settlement settlement) {
        switch (settlement.kind()) {
        case ACK:
        case REJECT:
            if (settle()) {
                driver.release();
            }
            return Custody.DONE;
        default:
            return driver.requeue(this, message.toBuilder().headers(settlement.headers()).build(),
                    settlement.delay());
        }
    }

    @Override
    public String toString() {
        return "MemoryJob[" + message.id() + " '" + message.name() + "' in " + message.pipeline() + ", priority "
                + priority + "]";
    }
}
