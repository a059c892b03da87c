package org.osgijobs.driver.amqp.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * One delivery from the broker, as a job of the runtime. Settling it ({@link #settle(Settlement)}: ack, reject,
 * requeue) goes to the {@link Consumption} that received it, on the channel it came from; only the first settlement
 * counts, later ones answer {@link Custody#DONE}.
 * <p>
 * A requeue after the driver stopped leaves the original with the broker, which delivers it again as it was: the
 * new headers, the attempt count among them, are not kept, and the answer is {@link Custody#BROKER}, so the runtime
 * keeps no copy of its own. The exception is a delivery a multiple ack already acknowledged, which the broker no
 * longer holds: then the answer is {@link Custody#RUNTIME} and the runtime keeps the job.
 */
final class AmqpJob implements Job {

    private final WireFormat.Decoded decoded;
    private final byte[] body;
    private final String pipeline;
    final long deliveryTag;
    final Consumption owner;
    private final AtomicBoolean settled = new AtomicBoolean();

    AmqpJob(WireFormat.Decoded decoded, byte[] body, String pipeline, long deliveryTag, Consumption owner) {
        this.decoded = decoded;
        this.body = body == null ? new byte[0] : body;
        this.pipeline = pipeline;
        this.deliveryTag = deliveryTag;
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
        return body.clone();
    }

    @Override
    public Map<String, List<String>> headers() {
        return decoded.headers();
    }

    @Override
    public boolean autoAck() {
        return decoded.autoAck();
    }

    /** @return the delay the job was pushed with */
    int delay() {
        return decoded.delay();
    }

    @Override
    public Message context() {
        return Message.builder(decoded.name()).id(decoded.id()).payload(body).headers(decoded.headers())
                .pipeline(pipeline).priority(decoded.priority()).delay(decoded.delay()).autoAck(decoded.autoAck())
                .build();
    }

    /**
     * {@code ACK} is a {@code basic.ack} (with {@code multiple_ack}, of every earlier delivery too); {@code REJECT}
     * a {@code basic.nack} with {@code requeue = requeue_on_fail}; {@code REQUEUE} publishes a copy with the new
     * headers (through a delay queue when delayed), waits for its confirm, then acknowledges this delivery. A kind
     * this driver does not know is a requeue with the job's own headers, which loses nothing.
     */
    @Override
    public Custody settle(Settlement settlement) {
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

    /** @return {@code true} the first time: the caller settles the delivery */
    boolean markSettled() {
        return settled.compareAndSet(false, true);
    }


    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ")";
    }
}
