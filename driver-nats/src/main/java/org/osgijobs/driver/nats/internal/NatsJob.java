package org.osgijobs.driver.nats.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * One JetStream delivery as a job of the runtime. Settling it goes to the {@link Consumption} that received it; only
 * the first settlement counts, later ones answer {@link Custody#DONE}.
 */
final class NatsJob implements Job {

    private final WireFormat.Decoded decoded;
    private final String pipeline;
    final io.nats.client.Message delivery;
    final long sequence;
    final Consumption owner;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean taken = new AtomicBoolean();

    NatsJob(WireFormat.Decoded decoded, String pipeline, io.nats.client.Message delivery, long sequence,
            Consumption owner) {
        this.decoded = decoded;
        this.pipeline = pipeline;
        this.delivery = delivery;
        this.sequence = sequence;
        this.owner = owner;
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
        if (taken.compareAndSet(false, true)) {
            owner.taken(this);
        }
    }

    /** @return whether a worker took the job */
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
     * {@code ACK} acknowledges the delivery (and deletes the message with {@code delete_after_ack}); {@code REJECT}
     * terminates it (never delivered again); {@code REQUEUE} publishes a copy with the new headers (through the delay
     * subject when delayed), waits for the server to store it, then acknowledges this delivery. A kind this driver
     * does not know is a requeue with the job's own headers, which loses nothing.
     */
    @Override
    public Custody settle(Settlement settlement) {
        if (!settled.compareAndSet(false, true)) {
            return Custody.DONE;
        }
        switch (settlement.kind()) {
        case ACK:
            return owner.ack(this);
        case REJECT:
            return owner.reject(this);
        case REQUEUE:
            return owner.requeue(this, settlement.headers(), settlement.delay());
        default:
            return owner.requeue(this, decoded.headers(), settlement.delay());
        }
    }

    /** @return {@code true} the first time: the caller settles the delivery (a withdrawal) */
    boolean markSettled() {
        return settled.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }

    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ")";
    }
}
