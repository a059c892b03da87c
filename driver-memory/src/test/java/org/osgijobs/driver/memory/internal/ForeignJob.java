package org.osgijobs.driver.memory.internal;

import java.util.List;
import java.util.Map;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;

/** A job of some other driver, to share the queue with the memory driver's jobs. */
final class ForeignJob implements Job {
    private final Message message;
    volatile int requeues;

    ForeignJob(String name, String pipeline) {
        this.message = Message.builder(name).id(name).pipeline(pipeline).build();
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
        return 1;
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
        return false;
    }

    @Override
    public Message context() {
        return message;
    }

    @Override
    public Custody settle(Settlement settlement) {
        if (settlement.kind() == Settlement.Kind.REQUEUE) {
            requeues++;
            return Custody.DRIVER;
        }
        return Custody.DONE;
    }
}
