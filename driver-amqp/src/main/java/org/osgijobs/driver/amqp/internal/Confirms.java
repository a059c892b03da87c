package org.osgijobs.driver.amqp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgijobs.api.JobsException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.ReturnListener;

/**
 * The publishes of one confirm-mode channel that wait for their confirm, by sequence number. The client calls the
 * listener methods on its connection thread, in the order the broker sent them; a {@code basic.return} for an
 * unroutable message always comes before that message's confirm.
 */
final class Confirms implements ConfirmListener, ReturnListener {

    private final ConcurrentSkipListMap<Long, Outgoing> pending = new ConcurrentSkipListMap<>();

    void add(long sequence, Outgoing outgoing) {
        pending.put(sequence, outgoing);
    }

    void remove(long sequence) {
        pending.remove(sequence);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** @return the oldest publish still waiting, or {@code null} */
    Outgoing oldest() {
        Map.Entry<Long, Outgoing> first = pending.firstEntry();
        return first == null ? null : first.getValue();
    }

    /** Fails and forgets the waiting publishes whose deadline has passed. */
    void expire(long nowNanos, int timeoutSeconds) {
        for (Map.Entry<Long, Outgoing> e : pending.entrySet()) {
            Outgoing o = e.getValue();
            if (o.deadlineNanos - nowNanos > 0) {
                break;
            }
            pending.remove(e.getKey());
            o.fail(new JobsException(o.what + " was not confirmed by the broker within " + timeoutSeconds
                    + " s (timeout)"));
        }
    }

    /** @return the publishes not confirmed yet, oldest first, and forgets them (their channel is gone) */
    List<Outgoing> drain() {
        List<Outgoing> left = new ArrayList<>(pending.values());
        pending.clear();
        left.removeIf(Outgoing::isFinished);
        return left;
    }

    @Override
    public void handleAck(long sequence, boolean multiple) {
        settle(sequence, multiple, null);
    }

    @Override
    public void handleNack(long sequence, boolean multiple) {
        settle(sequence, multiple, "the broker refused it (basic.nack): it could not store the message");
    }

    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
            AMQP.BasicProperties properties, byte[] body) {
        Object id = properties.getHeaders() == null ? null : properties.getHeaders().get(WireFormat.RR_ID);
        String jobId = id instanceof LongString || id instanceof String ? id.toString() : null;
        for (Outgoing o : pending.values()) {
            if (!o.isReturned() && o.exchange.equals(exchange) && o.routingKey.equals(routingKey)
                    && (jobId == null || jobId.equals(o.jobId))) {
                o.markReturned(replyText);
                return;
            }
        }
    }

    private void settle(long sequence, boolean multiple, String refusal) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Outgoing> covered = pending.headMap(sequence, true);
            for (Map.Entry<Long, Outgoing> e : covered.entrySet()) {
                if (pending.remove(e.getKey()) != null) {
                    finish(e.getValue(), refusal);
                }
            }
        } else {
            Outgoing o = pending.remove(sequence);
            if (o != null) {
                finish(o, refusal);
            }
        }
    }

    private static void finish(Outgoing o, String refusal) {
        if (refusal == null) {
            o.confirmed();
        } else {
            o.fail(new JobsException(o.what + " was not stored: " + refusal));
        }
    }
}
