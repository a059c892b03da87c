package org.osgijobs.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka baseline: kafka-clients alone, doing what the driver does. A producer with the driver's settings
 * (acks=all, idempotence, linger 5 ms) keeps a window of sends in flight; one consumer in its own group on a topic
 * with the same partitions runs each record's {@link JobWork} on its poll thread and commits the polled offsets
 * after processing them (asynchronously, once per poll). Records are bare 100-byte values with a key.
 */
final class RawKafkaBaseline implements AutoCloseable {
    private final String topic;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final Semaphore window;
    private final int windowSize;
    private volatile boolean running = true;
    private volatile JobWork work = JobWork.NONE;

    RawKafkaBaseline(String brokers, String topic, int partitions, int windowSize) throws Exception {
        this.topic = topic;
        this.windowSize = windowSize;
        this.window = new Semaphore(windowSize);
        admin = Admin.create(Map.of("bootstrap.servers", brokers));
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                .get(30, TimeUnit.SECONDS);
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", brokers);
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        p.put("linger.ms", 5);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", brokers);
        c.put("group.id", topic + "-group");
        c.put("enable.auto.commit", false);
        c.put("auto.offset.reset", "earliest");
        c.put("max.poll.records", 500);
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        CountDownLatch assigned = new CountDownLatch(1);
        poller = new Thread(() -> {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!consumer.assignment().isEmpty()) {
                    assigned.countDown();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    work.run(r.value(), System.nanoTime());
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
            }
            consumer.close(Duration.ofSeconds(5));
        }, "bench-kafka-baseline-poll");
        poller.setDaemon(true);
        poller.start();
        if (!assigned.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the baseline consumer got no partitions of " + topic + " in 30 s");
        }
    }

    /**
     * Produces one round and waits for Kafka's acknowledgements; the consumer handles the records meanwhile.
     *
     * @return the {@link System#nanoTime()} of the last acknowledgement
     */
    long produce(int jobs, long timeoutSeconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        for (int i = 0; i < jobs; i++) {
            byte[] body = Payloads.stampedNow(0);
            if (!window.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(windowSize + " sends stayed unacknowledged for " + timeoutSeconds
                        + " s");
            }
            producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), body), (md, error) -> {
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
                    + " sends were acknowledged within " + timeoutSeconds + " s");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " sends failed");
        }
        return lastAck.get();
    }

    void use(JobWork next) {
        this.work = next;
    }

    /** Deletes topics (the runtime's too, when given), ignoring those already gone. */
    void delete(Set<String> more) {
        Set<String> all = new HashSet<>(more);
        all.add(topic);
        try {
            admin.deleteTopics(all).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // gone already
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        poller.join(10_000);
        producer.close(Duration.ofSeconds(5));
        delete(Set.of());
        admin.close(Duration.ofSeconds(5));
    }
}
