package org.osgijobs.driver.kafka.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/**
 * A consumed record as a job. It keeps its record (for a redelivery in this process) and the partition's
 * {@link Lane}; settling hands the outcome to the {@link Consumption} that owns the consumer.
 */
final class KafkaJob implements Job {
    private final ConsumerRecord<byte[], byte[]> record;
    private final WireFormat.Decoded decoded;
    private final String pipeline;
    private final Lane lane;
    private final Consumption owner;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean taken = new AtomicBoolean();

    KafkaJob(ConsumerRecord<byte[], byte[]> record, WireFormat.Decoded decoded, String pipeline, Lane lane,
            Consumption owner) {
        this.record = record;
        this.decoded = decoded;
        this.pipeline = pipeline;
        this.lane = lane;
        this.owner = owner;
    }

    /** @return the same record as a new job, to be dispatched again (its settlement not counted yet) */
    KafkaJob again() {
        return new KafkaJob(record, decoded, pipeline, lane, owner);
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    Lane lane() {
        return lane;
    }

    long offset() {
        return record.offset();
    }

    boolean wasTaken() {
        return taken.get();
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
        byte[] v = record.value();
        return v == null ? new byte[0] : v;
    }

    @Override
    public Map<String, List<String>> headers() {
        return decoded.headers();
    }

    @Override
    public boolean autoAck() {
        return false;
    }

    @Override
    public void taken() {
        if (taken.compareAndSet(false, true)) {
            owner.taken(this);
        }
    }

    @Override
    public Message context() {
        return Message.builder(decoded.name()).id(decoded.id()).payload(body()).headers(decoded.headers())
                .pipeline(pipeline).priority(decoded.priority()).build();
    }

    @Override
    public Custody settle(Settlement settlement) {
        if (!settled.compareAndSet(false, true)) {
            return Custody.DONE;
        }
        return owner.settle(this, settlement);
    }

    @Override
    public String toString() {
        return "job '" + decoded.name() + "' (" + decoded.id() + ") at " + record.topic() + "-" + record.partition()
                + "@" + record.offset();
    }
}
