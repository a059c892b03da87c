package org.osgijobs.driver.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves delayed jobs from the pipeline's delay topic to their topic when they are due. Delayed records carry their
 * due time (epoch milliseconds) in the header {@code osgijobs_due}; this mover (one thread owning its own consumer,
 * in the consumer group {@code <group_id>.delay}, or {@code osgijobs.<pipeline>.delay} without a group) reads them,
 * holds them in memory ordered by due time (at most {@value #MAX_HELD} per partition: beyond that the partition's
 * fetching pauses), produces each to its target when due, and commits the delay record's offset only after Kafka
 * acknowledged the copy, and never past a record still waiting. After a crash the records not committed are read
 * again: a job moved but not committed is moved twice.
 */
final class DelayMover implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(DelayMover.class);
    static final int MAX_HELD = 10_000;
    private static final long RETRY_MILLIS = 1000;

    private static final class Part {
        final TopicPartition partition;
        final OffsetTracker offsets = new OffsetTracker();
        int held;
        boolean fetching = true;
        volatile boolean owned = true;

        Part(TopicPartition partition) {
            this.partition = partition;
        }
    }

    private record Held(long due, Part part, ConsumerRecord<byte[], byte[]> record) {
    }

    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Publisher publisher;
    private final ConcurrentLinkedQueue<Held> moved = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Held> failed = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // the mover thread's own
    private final Map<TopicPartition, Part> parts = new HashMap<>();
    private final PriorityQueue<Held> byDue = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private KafkaConsumer<byte[], byte[]> consumer;
    private long lastCommit;
    private int sending;

    private volatile Thread thread;
    private volatile boolean closing;
    private volatile long delayed;

    DelayMover(PipelineOptions options, ConnectionSettings settings, Publisher publisher) {
        this.options = options;
        this.settings = settings;
        this.publisher = publisher;
    }

    synchronized void start() {
        if (thread != null || closing) {
            return;
        }
        Thread t = new NamedThreads("kafka-" + options.pipeline + "-delays").newThread(this::loop);
        thread = t;
        t.start();
    }

    void close() {
        closing = true;
        if (thread == null) {
            return;
        }
        try {
            finished.get(options.timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("pipeline '{}': the delay mover did not end in time", options.pipeline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return delayed jobs held or not yet read from the delay topic, as of the last poll (approximate) */
    long delayed() {
        return delayed;
    }

    private void loop() {
        try {
            Map<String, Object> c = settings.clientProperties();
            c.put("client.id", "osgijobs-" + options.pipeline + "-delays");
            c.put("group.id", options.delayGroup());
            c.put("enable.auto.commit", false);
            c.put("auto.offset.reset", "earliest");
            c.put("allow.auto.create.topics", true);
            c.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            consumer = Clients.consumer(c);
            consumer.subscribe(List.of(options.delayTopic), this);
            long lastStats = 0;
            while (!closing) {
                settle();
                moveDue();
                fetching();
                commit(false);
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (KafkaException e) {
                    LOG.warn("pipeline '{}': cannot read delay topic '{}': {}", options.pipeline, options.delayTopic,
                            settings.mask(String.valueOf(e.getMessage())));
                    sleep(500);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Part part = parts.get(new TopicPartition(r.topic(), r.partition()));
                    if (part == null || !part.offsets.received(r.offset())) {
                        continue;
                    }
                    part.held++;
                    byDue.add(new Held(due(r), part, r));
                }
                long now = System.currentTimeMillis();
                if (now - lastStats > 500) {
                    lastStats = now;
                    long lag = 0;
                    for (Part p : parts.values()) {
                        lag += consumer.currentLag(p.partition).orElse(0);
                    }
                    delayed = byDue.size() + sending + lag;
                }
            }
            settle();
            commit(true);
            parts.values().forEach(p -> p.owned = false);
            parts.clear();
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException | Error e) {
            LOG.error("pipeline '{}': the delay mover stopped: {}", options.pipeline, settings.mask(e.toString()), e);
        } finally {
            delayed = 0;
            finished.complete(null);
        }
    }

    private long due(ConsumerRecord<byte[], byte[]> r) {
        String text = WireFormat.text(r.headers(), WireFormat.DUE);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            LOG.warn("pipeline '{}': delayed record {}-{}@{} has no valid header '{}' ({}); it is moved now",
                    options.pipeline, r.topic(), r.partition(), r.offset(), WireFormat.DUE, text);
            return 0;
        }
    }

    private void moveDue() {
        long now = System.currentTimeMillis();
        while (!byDue.isEmpty() && byDue.peek().due <= now) {
            Held h = byDue.poll();
            if (!h.part.owned) {
                continue;
            }
            sending++;
            publisher.send(target(h.record), "delayed job " + h.record.topic() + "-" + h.record.partition() + "@"
                    + h.record.offset()).whenComplete((ok, e) -> (e == null ? moved : failed).add(h));
        }
    }

    private ProducerRecord<byte[], byte[]> target(ConsumerRecord<byte[], byte[]> r) {
        String topic = WireFormat.text(r.headers(), WireFormat.TARGET_TOPIC);
        String partition = WireFormat.text(r.headers(), WireFormat.TARGET_PARTITION);
        Integer p = null;
        if (partition != null) {
            try {
                p = Integer.valueOf(partition);
            } catch (NumberFormatException e) {
                LOG.warn("pipeline '{}': delayed record {}-{}@{}: header '{}' is not a partition number ({});"
                        + " the partitioner chooses", options.pipeline, r.topic(), r.partition(), r.offset(),
                        WireFormat.TARGET_PARTITION, partition);
            }
        }
        List<Header> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            if (!h.key().equals(WireFormat.DUE) && !h.key().equals(WireFormat.TARGET_TOPIC)
                    && !h.key().equals(WireFormat.TARGET_PARTITION)) {
                headers.add(h);
            }
        }
        return new ProducerRecord<>(topic == null || topic.isEmpty() ? options.pushTopic : topic, p, r.key(),
                r.value(), headers);
    }

    private void settle() {
        Held h;
        while ((h = moved.poll()) != null) {
            sending--;
            h.part.held--;
            h.part.offsets.settled(h.record.offset());
        }
        long retry = System.currentTimeMillis() + RETRY_MILLIS;
        while ((h = failed.poll()) != null) {
            sending--;
            if (h.part.owned) {
                byDue.add(new Held(retry, h.part, h.record));
            }
        }
    }

    private void fetching() {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (Part p : parts.values()) {
            boolean want = p.held < MAX_HELD;
            if (want != p.fetching) {
                (want ? resume : pause).add(p.partition);
                p.fetching = want;
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void commit(boolean sync) {
        long now = System.currentTimeMillis();
        if (!sync && now - lastCommit < 500) {
            return;
        }
        lastCommit = now;
        commit(parts.values(), sync);
    }

    private void commit(Collection<Part> of, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Part p : of) {
            long c = p.offsets.toCommit();
            if (c >= 0) {
                offsets.put(p.partition, new OffsetAndMetadata(c));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
                for (Part p : of) {
                    OffsetAndMetadata o = offsets.get(p.partition);
                    if (o != null) {
                        p.offsets.committed(o.offset());
                    }
                }
            } catch (KafkaException e) {
                LOG.warn("pipeline '{}': committing the delay topic failed: {}; moved jobs may be moved again",
                        options.pipeline, settings.mask(String.valueOf(e.getMessage())));
            }
            return;
        }
        consumer.commitAsync(offsets, (done, e) -> {
            if (e == null) {
                done.forEach((tp, o) -> {
                    Part p = parts.get(tp);
                    if (p != null) {
                        p.offsets.committed(o.offset());
                    }
                });
            }
        });
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            parts.put(tp, new Part(tp));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        List<Part> gone = remove(partitions);
        settle();
        commit(gone, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        remove(partitions);
    }

    private List<Part> remove(Collection<TopicPartition> partitions) {
        List<Part> gone = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Part p = parts.remove(tp);
            if (p != null) {
                p.owned = false;
                gone.add(p);
            }
        }
        byDue.removeIf(h -> !h.part.owned);
        return gone;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String due(long epochMillis) {
        return Long.toString(epochMillis);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
