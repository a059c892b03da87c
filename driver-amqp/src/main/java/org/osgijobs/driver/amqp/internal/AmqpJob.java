package org.osgijobs.driver.amqp.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;

/**
 * One delivery from the broker, as a job of the runtime. Settling it (ack, nack, requeue) goes to the
 * {@link Consumption} that received it, on the channel it came from; only the first settlement counts.
 * <p>
 * A requeue (or {@code nack(true, delay)}) after the driver stopped leaves the original with the broker, which
 * delivers it again as it was: the new headers, the attempt count among them, are not kept. It does not throw,
 * so the runtime keeps no copy of its own; the exception is a delivery a multiple ack already acknowledged,
 * which the broker no longer holds: then it throws {@link IllegalStateException} and the runtime keeps the job.
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

    @Override
    public void ack() {
        owner.ack(this);
    }

    @Override
    public void nack() {
        owner.nack(this, owner.requeueOnFail());
    }

    @Override
    public void nack(boolean requeue, int delay) {
        if (requeue && delay > 0) {
            owner.requeue(this, decoded.headers(), delay);
        } else {
            owner.nack(this, requeue);
        }
    }

    @Override
    public void requeue(Map<String, List<String>> headers, int delay) {
        owner.requeue(this, headers == null ? Map.of() : headers, delay);
    }

    /** @return {@code true} the first time: the caller settles the delivery */
    boolean markSettled() {
        return settled.compareAndSet(false, true);
    }

    /** Undoes {@link #markSettled()} when a settlement was refused before it touched the broker. */
    void unmarkSettled() {
        settled.set(false);
    }

    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ")";
    }
}
