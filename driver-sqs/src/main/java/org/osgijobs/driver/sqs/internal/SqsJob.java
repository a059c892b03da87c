package org.osgijobs.driver.sqs.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * One received SQS message as a job of the runtime. Settling it goes to the {@link Consumption} that received it;
 * only the first settlement counts, later ones answer {@link Custody#DONE}.
 */
final class SqsJob implements Job {

    private final WireFormat.Decoded decoded;
    private final String pipeline;
    final String receipt;
    final String messageId;
    final software.amazon.awssdk.services.sqs.model.Message delivery;
    final Consumption owner;
    /** When SQS makes the message visible again unless told otherwise (epoch millis); the extender moves it on. */
    volatile long visibleUntil;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean taken = new AtomicBoolean();

    SqsJob(WireFormat.Decoded decoded, String pipeline, software.amazon.awssdk.services.sqs.model.Message delivery,
            long visibleUntil, Consumption owner) {
        this.decoded = decoded;
        this.pipeline = pipeline;
        this.delivery = delivery;
        this.receipt = delivery.receiptHandle();
        this.messageId = delivery.messageId();
        this.visibleUntil = visibleUntil;
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
     * {@code ACK} deletes the message; {@code REJECT} deletes it too unless {@code retain_failed_jobs} (then it stays
     * with SQS, hidden for {@code error_visibility_timeout}); {@code REQUEUE} sends a copy with the new headers and
     * delay, waits for SQS to store it, then deletes this one. A kind this driver does not know is a requeue with
     * the job's own headers, which loses nothing.
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

    /** @return {@code true} the first time: the caller settles the message (a withdrawal) */
    boolean markSettled() {
        return settled.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ")";
    }
}
