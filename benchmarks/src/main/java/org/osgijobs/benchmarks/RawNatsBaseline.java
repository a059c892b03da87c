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

    /** What the published messages carry. */
    enum Wire {
        /** The 100-byte body alone. */
        BARE,
        /**
         * RoadRunner's JSON body, as the driver writes it (payload in base64, the options object); the consumer finds
         * the payload in it and decodes it: the server's and the client's cost of the format on this side too.
         */
        ROADRUNNER
    }

    private static final byte[] PAYLOAD_KEY = "\"payload\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final Wire wire;

    private final Connection connection;
    private final JetStream js;
    private final String stream;
    private final String subject;
    private final int windowSize;
    private final Semaphore window;
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private volatile JobWork work = JobWork.NONE;

    RawNatsBaseline(String url, Wire wire, String stream, String subject, int consumerCount, int prefetch,
            int windowSize) throws IOException, InterruptedException, JetStreamApiException {
        this.wire = wire;
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
                    work.run(wire == Wire.BARE ? m.getData() : payloadOf(m.getData()), System.nanoTime());
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
            if (wire == Wire.ROADRUNNER) {
                body = roadRunnerBody(Integer.toString(i), body);
            }
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

    /** The body the driver writes for a job of this benchmark. */
    private static byte[] roadRunnerBody(String id, byte[] payload) {
        return ("{\"job\":\"" + NatsScenario.JOB + "\",\"id\":\"" + id + "\",\"payload\":\""
                + java.util.Base64.getEncoder().encodeToString(payload) + "\",\"options\":{\"priority\":10,"
                + "\"pipeline\":\"" + NatsScenario.PIPELINE + "\",\"auto_ack\":false,\"Queue\":\"bench\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @return the decoded payload of a RoadRunner body (found, not parsed: the client's minimum) */
    private static byte[] payloadOf(byte[] body) {
        int start = indexOf(body, PAYLOAD_KEY) + PAYLOAD_KEY.length;
        int end = start;
        while (body[end] != '"') {
            end++;
        }
        return java.util.Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(body, start, end - start)).array();
    }

    private static int indexOf(byte[] data, byte[] key) {
        outer:
        for (int i = 0; i <= data.length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (data[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no payload in the body");
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
