package org.osgijobs.driver.nats.internal;

import java.io.IOException;
import java.time.Duration;

import org.osgijobs.api.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import io.nats.client.impl.NatsJetStreamMetaData;

/**
 * Delayed jobs wait in the stream on the pipeline's delay subject, read by a durable consumer of their own (no bound
 * on pending messages, so that no number of delayed jobs holds up the others). A delayed job that is not due yet is
 * handed back with {@code NakWithDelay(remaining)}: the server keeps it and delivers it again when it is due, even
 * after a restart of this runtime. The remaining time is always computed from the message's own stream timestamp
 * and its {@code delay}, so a job never runs before its time, whoever delivers it. A due job is published to the
 * pipeline's subject (without delay) and, once the server stored that copy, acknowledged: at least once, never lost.
 */
final class DelayMover {
    private static final Logger LOG = LoggerFactory.getLogger(DelayMover.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final PipelineOptions options;
    private final Publisher publisher;
    private volatile MessageConsumer consumer;
    private volatile MessageConsumer draining;

    DelayMover(PipelineOptions options, Publisher publisher) {
        this.options = options;
        this.publisher = publisher;
    }

    /** On the control thread: (re)subscribes to the delay consumer. */
    void subscribe(Connection connection) throws IOException, JetStreamApiException {
        MessageConsumer old = consumer;
        if (old != null) {
            Consumption.closeQuietly(old);
        }
        consumer = connection.getConsumerContext(options.stream, options.delayConsumer())
                .consume(ConsumeOptions.builder().batchSize(500).expiresIn(Consumption.PULL_EXPIRES_MILLIS).build(),
                        this::deliver);
    }

    /**
     * On the control thread: stops pulling. The subscription stays until its last pull request expired (see
     * {@link #closeDrained(long)}): closed at once, the server would go on sending due jobs to that pull, and they
     * would come back only after the delay consumer's ack wait.
     */
    void stop() {
        MessageConsumer c = consumer;
        consumer = null;
        if (c != null) {
            c.stop();
            draining = c;
        }
    }

    /** At stop, before the connection closes: waits (at most the deadline) for the last pull to end, then closes. */
    void closeDrained(long deadlineNanos) throws InterruptedException {
        MessageConsumer c = draining;
        draining = null;
        if (c != null) {
            while (!c.isFinished() && System.nanoTime() - deadlineNanos < 0) {
                Thread.sleep(20);
            }
            Consumption.closeQuietly(c);
        }
    }

    private void deliver(io.nats.client.Message m) {
        try {
            NatsJetStreamMetaData meta = m.metaData();
            WireFormat.Decoded d = WireFormat.decode(m.getData(), m.getHeaders(), m.getSubject(), 0,
                    () -> WireFormat.fallbackId(meta.getStream(), meta.streamSequence()));
            long remaining = meta.timestamp().toInstant().toEpochMilli() + d.delay() * 1000L
                    - System.currentTimeMillis();
            if (remaining > 0) {
                m.nakWithDelay(Duration.ofMillis(remaining));
                return;
            }
            byte[] body;
            io.nats.client.impl.Headers headers;
            if (d.foreign()) {
                body = m.getData();
                headers = m.getHeaders();
            } else {
                Message due = Message.builder(d.name()).id(d.id()).payload(d.payload()).autoAck(d.autoAck()).build();
                java.util.Map<String, java.util.List<String>> jobHeaders = new java.util.LinkedHashMap<>(d.headers());
                jobHeaders.remove(WireFormat.SUBJECT_HEADER);
                WireFormat.Encoded e = WireFormat.encode(due, options.pipeline, d.priority(), 0, options.stream,
                        jobHeaders);
                body = e.body();
                headers = e.headers();
            }
            publisher.publish(options.subject, headers, body, "delayed job '" + d.name() + "' (" + d.id() + ")")
                    .whenComplete((ok, failure) -> {
                        try {
                            if (failure == null) {
                                m.ack();
                            } else {
                                LOG.warn("pipeline '{}': due delayed job {} not moved yet: {}", options.pipeline,
                                        d.id(), failure.getMessage());
                                m.nakWithDelay(RETRY);
                            }
                        } catch (RuntimeException e) {
                            // no connection: the server delivers it again
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("pipeline '{}': delayed message on '{}' not handled now ({}); retried", options.pipeline,
                    m.getSubject(), e.toString());
            try {
                m.nakWithDelay(RETRY);
            } catch (RuntimeException ignored) {
                // no connection
            }
        }
    }
}
