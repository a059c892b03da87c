package org.osgijobs.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/**
 * The NATS baseline: the jnats client alone, doing what the driver does. One connection; JetStream publishes
 * (file storage) acknowledged by the server, with a window of publishes in flight; one durable pull consumer with
 * explicit acks and max ack pending = prefetch, consumed by as many subscriptions as the runtime has workers, each
 * running the job's {@link JobWork} on its dispatcher thread and then acknowledging the message (one by one).
 * Messages are bare 100-byte bodies.
 */
final class RawNatsBaseline implements AutoCloseable {
    private static final String CONSUMER = "bench-client";

    private final Connection connection;
    private final JetStream js;
    private final String stream;
    private final String subject;
    private final int windowSize;
    private final Semaphore window;
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private volatile JobWork work = JobWork.NONE;

    RawNatsBaseline(String url, String stream, String subject, int consumerCount, int prefetch, int windowSize)
            throws IOException, InterruptedException, JetStreamApiException {
        this.stream = stream;
        this.subject = subject;
        this.windowSize = windowSize;
        this.window = new Semaphore(windowSize);
        connection = Nats.connect(new Options.Builder().server(url).connectionName("osgijobs-bench-baseline")
                .errorListener(new ErrorListener() {
                }).build());
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            delete(jsm, stream);
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject).storageType(StorageType.File)
                    .build());
            jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(CONSUMER).filterSubject(subject)
                    .ackPolicy(AckPolicy.Explicit).maxAckPending(prefetch).maxDeliver(-1).build());
            js = connection.jetStream();
            ConsumerContext context = connection.getConsumerContext(stream, CONSUMER);
            for (int i = 0; i < consumerCount; i++) {
                consumers.add(context.consume(ConsumeOptions.builder().batchSize(prefetch).build(), m -> {
                    work.run(m.getData(), System.nanoTime());
                    m.ack();
                }));
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Removes a stream left by an earlier run, if any. */
    static void delete(JetStreamManagement jsm, String stream) throws IOException {
        try {
            jsm.deleteStream(stream);
        } catch (JetStreamApiException absent) {
            // not there
        }
    }

    /**
     * Publishes one round and waits for the server's acknowledgements; the consumers handle the jobs meanwhile.
     *
     * @return the {@link System#nanoTime()} of the last acknowledgement
     */
    long publish(int jobs, long timeoutSeconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        PublishOptions options = PublishOptions.builder().expectedStream(stream).build();
        for (int i = 0; i < jobs; i++) {
            byte[] body = Payloads.stampedNow(0); // stamped before waiting for the window, as on the runtime's side
            if (!window.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(windowSize + " publishes stayed unacknowledged for " + timeoutSeconds
                        + " s");
            }
            js.publishAsync(subject, body, options).whenComplete((ack, error) -> {
                window.release();
                if (error != null) {
                    failed.incrementAndGet();
                }
                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                done.countDown();
            });
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (jobs - done.getCount()) + " of " + jobs
                    + " publishes were acknowledged within " + timeoutSeconds + " s");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " publishes failed");
        }
        return lastAck.get();
    }

    /** Sets what the next deliveries do. */
    void use(JobWork next) {
        this.work = next;
    }

    @Override
    public void close() throws Exception {
        for (MessageConsumer c : consumers) {
            c.close();
        }
        try {
            delete(connection.jetStreamManagement(), stream);
        } finally {
            connection.close();
        }
    }
}
