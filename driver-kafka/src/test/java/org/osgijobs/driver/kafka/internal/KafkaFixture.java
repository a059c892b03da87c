package org.osgijobs.driver.kafka.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.Assume;
import org.junit.rules.ExternalResource;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

/**
 * Per test: an admin client and a raw producer against the test broker (127.0.0.1:9092, which {@code .ci/run}
 * starts with {@code .ci/start-kafka}, or another one's address), drivers built against it, and every topic the
 * test names, deleted afterwards. When the broker does not answer, the test fails under {@code CI=true} and is
 * skipped loudly elsewhere.
 */
final class KafkaFixture extends ExternalResource {
    static final String HOST = "127.0.0.1";
    static final int PORT = 9092;

    final String brokers;
    Admin admin;
    KafkaProducer<byte[], byte[]> raw;
    private final List<KafkaDriver> drivers = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();

    KafkaFixture() {
        this(HOST + ":" + PORT);
    }

    KafkaFixture(String brokers) {
        this.brokers = brokers;
    }

    @Override
    protected void before() throws Exception {
        int colon = brokers.lastIndexOf(':');
        assumeReachable(brokers.substring(0, colon), Integer.parseInt(brokers.substring(colon + 1)));
        admin = Admin.create(Map.of("bootstrap.servers", brokers));
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", brokers);
        p.put("acks", "all");
        raw = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    protected void after() {
        for (KafkaDriver d : drivers) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                // the test may have stopped it
            }
        }
        consumers.forEach(c -> c.close(Duration.ofSeconds(2)));
        if (raw != null) {
            raw.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            try {
                admin.deleteTopics(topics).all().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // never created
            }
            admin.close(Duration.ofSeconds(2));
        }
    }

    /** Fails under CI=true, skips loudly elsewhere, when nothing answers on the port. */
    static void assumeReachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            String message = "Kafka is not reachable on " + host + ":" + port + " (" + e.getMessage()
                    + "): run .ci/start-kafka";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the Kafka tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** @return {@code prefix-} and 8 random hex digits: a name no other test uses */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a topic (and its delay topic) with the given partitions, deleted after the test. */
    String topic(String prefix, int partitions) throws Exception {
        String name = unique(prefix);
        topics.add(name);
        topics.add(name + ".delay");
        admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()),
                new NewTopic(name + ".delay", Optional.of(partitions), Optional.empty()))).all()
                .get(20, TimeUnit.SECONDS);
        return name;
    }

    /** @return pipeline options: name, driver, timeout, the topic, a unique group, and the given keys and values */
    Map<String, Object> options(String name, String topic, String... kv) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "kafka");
        options.put("timeout", "10");
        options.put("consumer_options.topics", topic);
        options.put("group_options.group_id", unique("g"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                options.remove(kv[i]);
            } else {
                options.put(kv[i], kv[i + 1]);
            }
        }
        return options;
    }

    ConnectionSettings settings() {
        return ConnectionSettings.of(Map.of("brokers", brokers, "ping.timeout", "2s"));
    }

    /** Builds and starts a driver against the test broker, stopped after the test. */
    KafkaDriver driver(Queue queue, Map<String, Object> options) {
        return driver(queue, settings(), options);
    }

    KafkaDriver driver(Queue queue, ConnectionSettings settings, Map<String, Object> options) {
        KafkaDriver d = new KafkaDriver(Pipeline.of(options), settings, queue, stopped -> {
        });
        drivers.add(d);
        d.start();
        return d;
    }

    /** @return the group's committed offset of the partition, or -1 */
    long committed(String group, String topic, int partition) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        OffsetAndMetadata o = m.get(new TopicPartition(topic, partition));
        return o == null ? -1 : o.offset();
    }

    /** Reads every record of a topic from the start (until {@code count} arrived or 10 s passed). */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", brokers);
        c.put("group.id", unique("reader"));
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumers.add(consumer);
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long end = System.currentTimeMillis() + 10_000;
        while (out.size() < count && System.currentTimeMillis() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
