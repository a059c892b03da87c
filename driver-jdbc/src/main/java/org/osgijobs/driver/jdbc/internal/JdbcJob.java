package org.osgijobs.driver.jdbc.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/** A row claimed by a driver, on its way through the runtime; the row stays leased until the job is settled. */
final class JdbcJob implements Job {
    static final int WAITING = 0;
    static final int TAKEN = 1;
    static final int SETTLED = 2;

    private final JdbcDriver driver;
    private final long rowId;
    private final Message message;
    private final long priority;
    private final AtomicInteger phase = new AtomicInteger(WAITING);

    JdbcJob(JdbcDriver driver, long rowId, Message message, long priority) {
        this.driver = driver;
        this.rowId = rowId;
        this.message = message;
        this.priority = priority;
    }

    long rowId() {
        return rowId;
    }

    boolean belongsTo(JdbcDriver owner) {
        return driver == owner;
    }

    /** @return the phase before ({@link #WAITING} or {@link #TAKEN}), or {@link #SETTLED} when settled already */
    int settleOnce() {
        return phase.getAndSet(SETTLED);
    }

    /** @return {@code true} when the job had not been taken and is now out of the runtime's hands */
    boolean withdrawn() {
        return phase.compareAndSet(WAITING, SETTLED);
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

    @Override
    public boolean autoAck() {
        return message.autoAck();
    }

    @Override
    public void taken() {
        phase.compareAndSet(WAITING, TAKEN);
    }

    @Override
    public Message context() {
        return message;
    }

    @Override
    public Custody settle(Settlement settlement) {
        return driver.settle(this, settlement);
    }

    @Override
    public String toString() {
        return "JdbcJob[" + id() + " '" + name() + "' in " + groupId() + ", priority " + priority + ", row " + rowId
                + "]";
    }
}
