package org.osgijobs.core.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/** A job of the {@link TestDriver}, or a bare job for queue tests. */
final class TestJob implements Job {
    final Message message;
    final long priority;
    final Consumer<TestJob> onAck;
    final TestDriver driver;
    volatile String outcome;

    TestJob(Message message, long priority, TestDriver driver) {
        this.message = message;
        this.priority = priority;
        this.driver = driver;
        this.onAck = null;
    }

    static TestJob of(String pipeline, String id, long priority) {
        return new TestJob(Message.builder("test").id(id).pipeline(pipeline).priority(priority).build(), priority,
                null);
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
    public Message context() {
        return message;
    }

    @Override
    public Custody settle(Settlement settlement) {
        switch (settlement.kind()) {
        case ACK:
            outcome = "ack";
            break;
        case REJECT:
            outcome = "nack";
            break;
        default:
            outcome = "requeue";
            return driver.requeue(this, settlement.headers(), settlement.delay());
        }
        if (driver != null) {
            driver.settled(this);
        }
        return Custody.DONE;
    }
}
