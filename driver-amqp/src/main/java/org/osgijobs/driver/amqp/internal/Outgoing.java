package org.osgijobs.driver.amqp.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgijobs.api.JobsException;

import com.rabbitmq.client.AMQP;

/**
 * One publish on its way to the broker: where it goes, what it carries, by when it must be confirmed, and the
 * future its caller waits on. It completes exactly once; a late confirm after a timeout is ignored.
 */
final class Outgoing {

    final String exchange;
    final String routingKey;
    final AMQP.BasicProperties properties;
    final byte[] body;
    /** The delay queue to declare before publishing, or {@code null}. */
    final DelayQueue delayQueue;
    final long deadlineNanos;
    /** What is published, for messages: {@code job 'name' (id)}. */
    final String what;
    /** The job id carried in {@code rr_id}: matches a returned message to its publish. */
    final String jobId;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Runnable onFinish;
    /** How often it was handed to a channel; publisher thread only. */
    int sends;
    /** Set when the broker returned the message as unroutable; read when its confirm arrives. */
    private volatile String returned;

    Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body, DelayQueue delayQueue,
            long deadlineNanos, String what, String jobId, Runnable onFinish) {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.properties = properties;
        this.body = body;
        this.delayQueue = delayQueue;
        this.deadlineNanos = deadlineNanos;
        this.what = what;
        this.jobId = jobId;
        this.onFinish = onFinish;
    }

    boolean isFinished() {
        return finished.get();
    }

    /** The broker confirmed the publish: success, unless it returned the message first. */
    void confirmed() {
        String reason = returned;
        if (reason == null) {
            if (finished.compareAndSet(false, true)) {
                onFinish.run();
                result.complete(null);
            }
        } else {
            fail(new JobsException(what + " was not stored: the broker could not route it (" + reason
                    + "): no queue is bound to exchange '" + exchange + "' with routing key '" + routingKey + "'"));
        }
    }

    void fail(JobsException error) {
        if (finished.compareAndSet(false, true)) {
            onFinish.run();
            result.completeExceptionally(error);
        }
    }

    boolean isReturned() {
        return returned != null;
    }

    void markReturned(String reason) {
        returned = reason;
    }

    /** Forgets an earlier return: the message is published again. */
    void clearReturned() {
        returned = null;
    }
}
