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
 * One job held by a {@link MemoryDriver}: the pushed message's parts, its effective priority and its place in the
 * driver's order. Deliberately small, because a paused pipeline may hold millions: one object per job (the pushed
 * {@link Message} is not kept: {@link #context()} rebuilds an equal one, which only the runtime's retry and
 * dead-letter paths ask for), no per-job maps, futures or timers, the phase and two flags in one int. A job with
 * headers, a delay or a due time is a {@link DetailedMemoryJob}; the common job (none of these) is 48 bytes.
 */
class MemoryJob implements Job {

    /** Ready order: priority, then the order in which jobs became ready (FIFO among equal priorities). */
    static final Comparator<MemoryJob> READY_ORDER = (a, b) -> {
        int byPriority = Long.compare(a.priority, b.priority);
        return byPriority != 0 ? byPriority : Long.compare(a.sequence, b.sequence);
    };

    /** Delay order: due time (compared by difference, as {@link System#nanoTime()} requires), then sequence. */
    static final Comparator<MemoryJob> DUE_ORDER = (a, b) -> {
        int byDue = Long.compare(a.due() - b.due(), 0);
        return byDue != 0 ? byDue : Long.compare(a.sequence, b.sequence);
    };

    // Where the job is (the low two bits of state): waiting (in the buffer or the runtime's queue), taken by a
    // worker, or settled.
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int SETTLED = 2;
    private static final int PHASE_BITS = 3;
    // Flags of the pushed message, never changed after construction; every phase change keeps them.
    private static final int AUTO_ACK = 4;
    /** The message asked for a priority of its own (not 0, the pipeline's), so a rebuilt message asks again. */
    private static final int OWN_PRIORITY = 8;

    // A VarHandle over an int field instead of an atomic object: the phase costs 4 bytes per job, not 16.
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(MemoryJob.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemoryDriver driver;
    private final String name;
    private final String id;
    private final byte[] payload;
    private final long priority;
    // Written under the driver's lock only: when the job is created and again when its delay has passed.
    private long sequence;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /**
     * @param driver   the driver that holds the job and receives its outcome
     * @param message  the job as pushed, with its current headers
     * @param priority the effective priority (the message's, or the pipeline's when the message's is 0)
     * @param sequence its place among jobs of equal priority
     * @param due      the {@link System#nanoTime()} at which a delayed job becomes ready; 0 when not delayed
     * @return the job, as small as its message allows
     */
    static MemoryJob of(MemoryDriver driver, Message message, long priority, long sequence, long due) {
        if (due != 0 || message.delay() != 0 || !message.headers().isEmpty()) {
            return new DetailedMemoryJob(driver, message, priority, sequence, due);
        }
        return new MemoryJob(driver, message, priority, sequence);
    }

    MemoryJob(MemoryDriver driver, Message message, long priority, long sequence) {
        this.driver = driver;
        this.name = message.name();
        this.id = message.id();
        this.payload = message.payload();
        this.priority = priority;
        this.sequence = sequence;
        // a plain write, not a volatile one (no fence per push): the job reaches other threads only through the
        // driver's lock or the runtime's queue, which publish it safely
        STATE.set(this, WAITING | (message.autoAck() ? AUTO_ACK : 0) | (message.priority() != 0 ? OWN_PRIORITY : 0));
    }

    boolean belongsTo(MemoryDriver owner) {
        return driver == owner;
    }

    /** @return an equal copy of the message as pushed (see {@link #context()}) */
    Message message() {
        return context();
    }

    /** @return its place among jobs of equal priority; read under the driver's lock */
    long sequence() {
        return sequence;
    }

    /** @return the {@link System#nanoTime()} at which a delayed job becomes ready; 0 when not delayed */
    long due() {
        return 0;
    }

    /** @return the delay the message asked for, in seconds */
    int delaySeconds() {
        return 0;
    }

    void resequence(long newSequence) {
        this.sequence = newSequence;
    }

    boolean isSettled() {
        return phase((int) STATE.getVolatile(this)) == SETTLED;
    }

    private static int phase(int state) {
        return state & PHASE_BITS;
    }

    private static int withPhase(int state, int phase) {
        return (state & ~PHASE_BITS) | phase;
    }

    /**
     * Settles the job once: a second settlement is refused, so it cannot free a second slot.
     *
     * @return {@code true} for the first settlement of this job only
     */
    boolean settle() {
        while (true) {
            int current = (int) STATE.getVolatile(this);
            if (phase(current) == SETTLED) {
                return false;
            }
            if (STATE.compareAndSet(this, current, withPhase(current, SETTLED))) {
                if (phase(current) == TAKEN) {
                    driver.takenJobSettled();
                }
                return true;
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** The pipeline: a driver holds only jobs pushed to its own pipeline (it checks their name on push). */
    @Override
    public String groupId() {
        return driver.pipeline();
    }

    @Override
    public long priority() {
        return priority;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return a copy of the payload, as {@link Message#payload()} gave and the handler's context promises */
    @Override
    public byte[] body() {
        return payload.length == 0 ? payload : payload.clone();
    }

    @Override
    public Map<String, List<String>> headers() {
        return Map.of();
    }

    /** Marks the job as at a worker, so the driver's state tells it from jobs still waiting in the queue. */
    @Override
    public void taken() {
        int current = (int) STATE.getVolatile(this);
        if (phase(current) == WAITING && STATE.compareAndSet(this, current, withPhase(current, TAKEN))) {
            driver.jobTaken();
        }
    }

    @Override
    public boolean autoAck() {
        return ((int) STATE.getVolatile(this) & AUTO_ACK) != 0;
    }

    /**
     * A copy equal to the message as pushed: same name, id, payload (copied), headers, pipeline, priority (0 when
     * it inherited the pipeline's), delay and auto-ack. Only the runtime's retry and dead-letter paths call it.
     */
    @Override
    public Message context() {
        boolean ownPriority = ((int) STATE.getVolatile(this) & OWN_PRIORITY) != 0;
        return Message.builder(name).id(id).payload(payload).headers(headers()).pipeline(driver.pipeline())
                .priority(ownPriority ? priority : 0).delay(delaySeconds()).autoAck(autoAck()).build();
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
            return driver.requeue(this, context().toBuilder().headers(settlement.headers()).build(),
                    settlement.delay());
        }
    }

    @Override
    public String toString() {
        return "MemoryJob[" + id + " '" + name + "' in " + (driver == null ? null : driver.pipeline()) + ", priority "
                + priority + "]";
    }
}
