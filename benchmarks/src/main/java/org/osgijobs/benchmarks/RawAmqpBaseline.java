package org.osgijobs.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

/**
 * The AMQP baseline: the RabbitMQ Java client alone. One connection; a publisher in confirm mode keeping a window
 * of unconfirmed publishes (persistent, 100-byte bodies); consumers on channels of their own with
 * {@code basicQos(prefetch)}, each running the job's {@link JobWork} on the client's dispatch thread and then
 * acknowledging the delivery by itself (manual ack, one by one).
 * <p>
 * Its messages are bare, or, with {@link Wire#ROADRUNNER}, carry what the driver writes for RoadRunner
 * compatibility (the {@code rr_*} header table, a timestamp, the mandatory flag): the broker's cost of that format
 * is then on both sides and the ratio shows the driver's own overhead.
 */
final class RawAmqpBaseline implements AutoCloseable {
    private static final AMQP.BasicProperties PERSISTENT = MessageProperties.PERSISTENT_BASIC;
    private static final byte[] EMPTY_JOB_HEADERS = "{}".getBytes(StandardCharsets.UTF_8);

    /** What the published messages carry besides the body. */
    enum Wire {
        /** Persistent, content type {@code application/octet-stream}, nothing else. */
        BARE,
        /** As the driver publishes a job: the {@code rr_*} headers, a timestamp, mandatory. */
        ROADRUNNER,
        /** As the driver publishes a job with {@code wire=compact}: without the headers that carry their default. */
        COMPACT
    }

    private final Connection connection;
    private final Channel publishing;
    private final String exchange;
    private final String routingKey;
    private final Semaphore window;
    private final int windowSize;
    private final Wire wire;
    private final ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
    private final List<Channel> consumers = new ArrayList<>();
    private volatile JobWork work = JobWork.NONE;
    private volatile Confirmations round;

    /** Counts the confirms of one round. */
    private static final class Confirmations {
        final int expected;
        final AtomicInteger settled = new AtomicInteger();
        final AtomicInteger nacked = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long doneAt;

        Confirmations(int expected) {
            this.expected = expected;
        }

        void add(int count, boolean ok) {
            if (!ok) {
                nacked.addAndGet(count);
            }
            if (settled.addAndGet(count) == expected) {
                doneAt = System.nanoTime();
                done.countDown();
            }
        }
    }

    /**
     * Declares a durable exchange and queue (bound by the routing key) and starts the consumers.
     */
    RawAmqpBaseline(Broker broker, Wire wire, String exchange, String queue, String routingKey, int consumerCount,
            int prefetch, int windowSize) throws Exception {
        this.wire = wire;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.window = new Semaphore(windowSize);
        this.windowSize = windowSize;
        this.connection = broker.factory().newConnection("osgijobs-bench-baseline");
        try {
            publishing = connection.createChannel();
            publishing.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true);
            publishing.queueDeclare(queue, true, false, false, null);
            publishing.queueBind(queue, exchange, routingKey);
            publishing.confirmSelect();
            publishing.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long tag, boolean multiple) {
                    confirmed(tag, multiple, true);
                }

                @Override
                public void handleNack(long tag, boolean multiple) {
                    confirmed(tag, multiple, false);
                }
            });
            for (int i = 0; i < consumerCount; i++) {
                Channel channel = connection.createChannel();
                channel.basicQos(prefetch);
                channel.basicConsume(queue, false, (tag, delivery) -> {
                    work.run(delivery.getBody(), System.nanoTime());
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                }, tag -> {
                });
                consumers.add(channel);
            }
        } catch (Exception e) {
            connection.abort();
            throw e;
        }
    }

    /**
     * Publishes one round and waits for its confirms; the consumers handle the jobs meanwhile.
     *
     * @return the {@link System#nanoTime()} of the last confirm
     * @throws IllegalStateException when the broker refused a publish or the confirms did not come in time
     */
    long publish(int jobs, long timeoutSeconds) throws IOException, InterruptedException {
        Confirmations confirmations = new Confirmations(jobs);
        round = confirmations;
        for (int i = 0; i < jobs; i++) {
            // stamped before waiting for the window, as the runtime's jobs are stamped before their producer waits for room
            byte[] body = Payloads.stampedNow(0);
            if (!window.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(windowSize + " publishes stayed unconfirmed for " + timeoutSeconds
                        + " s (connection " + (connection.isOpen() ? "open" : "closed: " + connection.getCloseReason())
                        + ")");
            }
            unconfirmed.add(publishing.getNextPublishSeqNo());
            if (wire == Wire.BARE) {
                publishing.basicPublish(exchange, routingKey, PERSISTENT, body);
            } else {
                publishing.basicPublish(exchange, routingKey, true, roadRunnerProperties(Integer.toString(i),
                        wire == Wire.COMPACT), body);
            }
        }
        if (!confirmations.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + confirmations.settled.get() + " of " + jobs
                    + " publishes were confirmed within " + timeoutSeconds + " s");
        }
        if (confirmations.nacked.get() > 0) {
            throw new IllegalStateException("the broker refused " + confirmations.nacked.get() + " publishes");
        }
        return confirmations.doneAt;
    }

    /**
     * The properties the driver writes for a job of this benchmark (see the spec's wire format): the same header
     * names, types and values, so that the broker parses and stores the same.
     */
    private static AMQP.BasicProperties roadRunnerProperties(String id, boolean compact) {
        Map<String, Object> headers = new LinkedHashMap<>(8);
        headers.put("rr_id", id);
        headers.put("rr_job", AmqpScenario.JOB);
        headers.put("rr_pipeline", AmqpScenario.PIPELINE);
        if (!compact) {
            headers.put("rr_headers", EMPTY_JOB_HEADERS);
            headers.put("rr_delay", 0);
        }
        headers.put("rr_priority", 10L);
        if (!compact) {
            headers.put("rr_auto_ack", false);
        }
        return new AMQP.BasicProperties.Builder().contentType("application/octet-stream").deliveryMode(2)
                .timestamp(new Date()).headers(headers).build();
    }

    /** Sets what the next deliveries do. */
    void use(JobWork next) {
        this.work = next;
    }

    private void confirmed(long tag, boolean multiple, boolean ok) {
        int count = 0;
        if (multiple) {
            NavigableSet<Long> covered = unconfirmed.headSet(tag, true);
            while (covered.pollFirst() != null) {
                count++;
            }
        } else if (unconfirmed.remove(tag)) {
            count = 1;
        }
        window.release(count);
        Confirmations current = round;
        if (current != null && count > 0) {
            current.add(count, ok);
        }
    }

    @Override
    public void close() {
        connection.abort(5000);
    }
}
