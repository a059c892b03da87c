package org.osgijobs.driver.beanstalk.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * One reserved beanstalkd job as a job of the runtime. It belongs to the consumer connection that reserved it (only
 * that connection may delete, release or touch it); settling goes to the {@link Reserver}. Only the first settlement
 * counts, later ones answer {@link Custody#DONE}.
 */
final class BeanstalkJob implements Job {
    private final WireFormat.Decoded decoded;
    private final String pipeline;
    final long beanstalkId;
    final Reserver owner;
    /** The consumer connection's number when the job was reserved: a job of an earlier one is the server's again. */
    final long connection;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean taken = new AtomicBoolean();
    /** When the consumer touches the job next (System.nanoTime()); the consumer thread's own. */
    long touchAt;

    BeanstalkJob(WireFormat.Decoded decoded, String pipeline, long beanstalkId, Reserver owner, long connection) {
        this.decoded = decoded;
        this.pipeline = pipeline;
        this.beanstalkId = beanstalkId;
        this.owner = owner;
        this.connection = connection;
    }

    @Override
    public String id() {
        return decoded.id();
    }

    @Override
    public String groupId() {
        return pipeline;
    }

    @Override
    public long priority() {
        return decoded.priority();
    }

    @Override
    public String name() {
        return decoded.name();
    }

    @Override
    public byte[] body() {
        return decoded.payload().clone();
    }

    @Override
    public Map<String, List<String>> headers() {
        return decoded.headers();
    }

    @Override
    public boolean autoAck() {
        return decoded.autoAck();
    }

    @Override
    public void taken() {
        taken.set(true);
    }

    boolean isTaken() {
        return taken.get();
    }

    @Override
    public Message context() {
        return Message.builder(decoded.name()).id(decoded.id()).payload(decoded.payload()).headers(decoded.headers())
                .pipeline(pipeline).priority(decoded.priority()).delay(decoded.delay()).autoAck(decoded.autoAck())
                .build();
    }

    /**
     * {@code ACK} and {@code REJECT} delete the job; {@code REQUEUE} with the job's own headers (a requeueing nack)
     * releases it with the delay; with other headers it puts a copy and, once beanstalkd stored it, deletes this one.
     * A kind this driver does not know is a release, which loses nothing.
     */
    @Override
    public Custody settle(Settlement settlement) {
        if (!settled.compareAndSet(false, true)) {
            return Custody.DONE;
        }
        return owner.settle(this, settlement);
    }

    /** @return {@code true} the first time: the caller settles the job (a withdrawal, an auto-ack) */
    boolean markSettled() {
        return settled.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }

    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ", beanstalkd id " + beanstalkId + ")";
    }
}
