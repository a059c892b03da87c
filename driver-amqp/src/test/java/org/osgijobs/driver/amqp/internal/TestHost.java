package org.osgijobs.driver.amqp.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.JobsException;

/**
 * A {@link Consumption.Host} for tests that drive a consumption on a raw session, without an {@link AmqpDriver}:
 * it plays a driver whose publisher is closed (every republish fails) and which says whether it is stopped.
 */
final class TestHost implements Consumption.Host {
    final AtomicInteger republished = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    volatile boolean stopped;

    @Override
    public CompletableFuture<Void> republish(AmqpJob job, Map<String, List<String>> headers, int delay) {
        republished.incrementAndGet();
        return CompletableFuture.failedFuture(new JobsException("the test host publishes nothing"));
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public void lost(Session session, Throwable cause) {
        lost.incrementAndGet();
    }
}
