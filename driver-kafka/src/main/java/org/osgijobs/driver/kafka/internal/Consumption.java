package org.osgijobs.driver.kafka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the pipeline's topics. One thread, the poll thread, owns the {@link KafkaConsumer} (which is not
 * thread-safe): it polls, moves received jobs into the runtime's queue (at most {@code prefetch} unsettled per
 * partition, pausing a partition's fetching while its jobs wait), applies the settlements that workers hand it
 * through a queue, commits per partition only up to the first unsettled job ({@link OffsetTracker}), in batches,
 * and handles rebalances: a revoked partition's jobs stop being dispatched, its running jobs get a short grace to
 * settle, its settled offsets are committed, the rest goes to the new owner.
 * <p>
 * Without a consumer group it assigns the partitions itself and only tracks its position in memory (nothing is
 * committed).
 */
final class Consumption implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Consumption.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** While received jobs wait for room, the poll thread waits this long at most for a settlement that frees it. */
    private static final long ROOM_WAIT_MILLIS = 20;
    /** Received jobs a partition may hold beyond its prefetch before its fetching pauses. */
    private static final int MIN_BUFFER = 500;
    private static final long COMMIT_EVERY_MILLIS = 200;
    private static final int COMMIT_EVERY_SETTLED = 500;
    private static final long REVOKE_GRACE_MILLIS = 2000;

    /** Stores a requeued copy for a job (the driver's produce path). */
    interface Requeue {
        CompletableFuture<Void> copy(KafkaJob job, Map<String, List<String>> headers, int delay);
    }

    private record Settled(Lane lane, long offset) {
    }

    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private final Queue queue;
    private final Requeue requeue;
    private final ConcurrentLinkedQueue<Settled> settled = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<KafkaJob> redeliveries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reserved = new AtomicInteger();
    /** Released by every settlement: wakes the poll thread while received jobs wait for room. */
    private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(0);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // the poll thread's own
    private final Map<TopicPartition, Lane> lanes = new LinkedHashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean assigned;
    private long nextAssignTry;
    private long lastCommit;
    private int settledSinceCommit;
    private int rotation;
    private long lastStats;

    private volatile Thread thread;
    private volatile boolean consuming;
    private volatile boolean closing;
    private volatile long active;
    private volatile String error;

    Consumption(PipelineOptions options, ConnectionSettings settings, Queue queue, Requeue requeue) {
        this.options = options;
        this.settings = settings;
        this.queue = queue;
        this.requeue = requeue;
    }

    /** Starts the poll thread (once). */
    synchronized void start() {
        if (thread != null || closing) {
            return;
        }
        Thread t = new NamedThreads("kafka-" + options.pipeline + "-poll").newThread(this::loop);
        thread = t;
        t.start();
    }

    boolean started() {
        return thread != null;
    }

    /**
     * Starts or stops moving jobs into the runtime's queue; stopping withdraws the jobs no worker took yet. Waits
     * for the poll thread to apply it (up to the timeout) when it runs.
     */
    void consume(boolean on) {
        if (thread == null) {
            consuming = on;
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            consuming = on;
            if (!on) {
                withdraw(Set.of());
            }
            applyFetching();
            done.complete(null);
        });
        try {
            done.get(options.timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("pipeline '{}': the poll thread did not apply {} in time", options.pipeline,
                    on ? "resume" : "pause");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean consuming() {
        return consuming && thread != null && !closing;
    }

    /** Stops the poll thread: final commit of what is settled, consumer closed. Waits up to the timeout. */
    void close() {
        closing = true;
        if (thread == null) {
            return;
        }
        try {
            finished.get(options.timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("pipeline '{}': the poll thread did not end in time", options.pipeline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return jobs at a worker, not settled */
    int reserved() {
        return reserved.get();
    }

    /** @return records not fetched yet (lag) plus fetched ones waiting to run, as of the last poll */
    long active() {
        return active;
    }

    String error() {
        return error;
    }

    // ---- from workers ----------------------------------------------------------------------------------------

    void taken(KafkaJob job) {
        reserved.incrementAndGet();
    }

    Custody settle(KafkaJob job, Settlement settlement) {
        Lane lane = job.lane();
        try {
            if (settlement.kind() == Settlement.Kind.ACK || settlement.kind() == Settlement.Kind.REJECT) {
                if (!lane.owned) {
                    return Custody.BROKER; // the partition's new owner (or the next start) gets it again
                }
                settled.add(new Settled(lane, job.offset()));
                room.release();
                return Custody.DONE;
            }
            Map<String, List<String>> headers = settlement.kind() == Settlement.Kind.REQUEUE ? settlement.headers()
                    : job.headers();
            try {
                requeue.copy(job, headers, settlement.delay()).get(options.timeoutSeconds + 2L, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                LOG.warn("pipeline '{}': {} could not be requeued ({}); the original runs again", options.pipeline,
                        job, cause.getMessage());
                if (lane.owned && !closing) {
                    redeliveries.add(job);
                    room.release();
                }
                return Custody.BROKER;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (lane.owned && !closing) {
                    redeliveries.add(job);
                }
                return Custody.BROKER;
            }
            // the copy is acknowledged by Kafka: only now may the original's offset be committed
            settled.add(new Settled(lane, job.offset()));
            room.release();
            return Custody.DRIVER;
        } finally {
            if (job.wasTaken()) {
                reserved.decrementAndGet();
            }
        }
    }

    // ---- the poll thread --------------------------------------------------------------------------------------

    private void loop() {
        try {
            consumer = Clients.consumer(config());
            if (options.grouped()) {
                if (options.topicPattern != null) {
                    consumer.subscribe(options.topicPattern, this);
                } else {
                    consumer.subscribe(options.topics, this);
                }
            }
            while (!closing) {
                runCommands();
                applySettled();
                applyRedeliveries();
                if (!options.grouped() && !assigned) {
                    assignAll();
                }
                feed();
                applyFetching();
                commit(false);
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // commands from other threads wait for the next turn: no wakeup(), which could break off a
                    // commit inside a rebalance callback
                    if (waitingForRoom()) {
                        // wait for a settlement to free room (not spinning on poll), then take what was fetched
                        awaitRoom();
                        records = consumer.poll(Duration.ZERO);
                    } else {
                        records = consumer.poll(POLL);
                    }
                } catch (KafkaException e) {
                    error = "pipeline '" + options.pipeline + "': cannot consume " + options.topics + " from kafka "
                            + settings + ": " + settings.mask(String.valueOf(e.getMessage()));
                    LOG.warn(error);
                    pause(500);
                    continue;
                }
                received(records);
                stats();
            }
        } catch (RuntimeException | Error e) {
            error = "pipeline '" + options.pipeline + "': consuming stopped: " + settings.mask(e.toString());
            LOG.error(error, e);
        } finally {
            shutdown();
            finished.complete(null);
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> c = settings.clientProperties();
        c.put("client.id", "osgijobs-" + options.pipeline + "-consumer");
        c.put("enable.auto.commit", false);
        c.put("auto.offset.reset", options.consumerOffset.resetPolicy());
        c.put("allow.auto.create.topics", options.autoCreateTopics);
        c.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        c.put("max.poll.records", 500);
        if (options.grouped()) {
            c.put("group.id", options.groupId);
            if (!options.instanceId.isEmpty()) {
                c.put("group.instance.id", options.instanceId);
            }
        }
        c.putAll(options.consumer);
        return c;
    }

    private void runCommands() {
        Runnable r;
        while ((r = commands.poll()) != null) {
            r.run();
        }
    }

    private void received(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            Lane lane = lanes.get(tp);
            if (lane == null) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (!lane.offsets.received(r.offset())) {
                    continue;
                }
                WireFormat.Decoded d = WireFormat.decode(r.key(), r.headers(), options.priority, r.topic(),
                        r.partition(), r.offset());
                lane.waiting.addLast(new KafkaJob(r, d, options.pipeline, lane, this));
            }
        }
    }

    /** Moves waiting jobs into the runtime's queue while each partition has fewer than prefetch unsettled. */
    private void feed() {
        if (!consuming || lanes.isEmpty()) {
            return;
        }
        List<Lane> order = new ArrayList<>(lanes.values());
        int n = order.size();
        rotation = (rotation + 1) % n;
        for (int i = 0; i < n; i++) {
            Lane lane = order.get((rotation + i) % n);
            while (!lane.waiting.isEmpty() && lane.dispatched < options.prefetch) {
                if (!queue.offer(lane.waiting.peekFirst())) {
                    return; // the runtime's queue is full: try again after the next poll
                }
                lane.waiting.pollFirst();
                lane.dispatched++;
            }
        }
    }

    private void awaitRoom() {
        try {
            room.tryAcquire(ROOM_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            room.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** @return whether received jobs wait for a settlement (or room in the runtime's queue) to be dispatched */
    private boolean waitingForRoom() {
        if (!consuming) {
            return false;
        }
        for (Lane lane : lanes.values()) {
            if (!lane.waiting.isEmpty()) {
                return true;
            }
        }
        return !settled.isEmpty();
    }

    /** Pauses the fetching of partitions whose jobs wait (or all while the pipeline is paused), resumes the others. */
    private void applyFetching() {
        if (consumer == null) {
            return;
        }
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            boolean want = consuming && lane.waiting.size() < Math.max(options.prefetch, MIN_BUFFER);
            if (want != lane.fetching) {
                (want ? resume : pause).add(lane.partition);
                lane.fetching = want;
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void applySettled() {
        Settled s;
        while ((s = settled.poll()) != null) {
            s.lane.dispatched--;
            s.lane.offsets.settled(s.offset);
            settledSinceCommit++;
        }
    }

    private void applyRedeliveries() {
        KafkaJob job;
        while ((job = redeliveries.poll()) != null) {
            Lane lane = job.lane();
            lane.dispatched--;
            if (lanes.get(lane.partition) == lane) {
                lane.waiting.addFirst(job.again());
            }
        }
    }

    /**
     * Takes back the jobs no worker took yet: those of the given lanes (revoked) and of lanes no longer assigned are
     * dropped (Kafka delivers them again), the others go back to the front of their lanes, in order.
     */
    private void withdraw(Set<Lane> dropped) {
        List<Job> back = queue.withdraw();
        Map<Lane, List<KafkaJob>> byLane = new LinkedHashMap<>();
        for (Job j : back) {
            if (j instanceof KafkaJob) {
                KafkaJob k = (KafkaJob) j;
                byLane.computeIfAbsent(k.lane(), x -> new ArrayList<>()).add(k);
            }
        }
        byLane.forEach((lane, jobs) -> {
            lane.dispatched -= jobs.size();
            if (dropped.contains(lane) || lanes.get(lane.partition) != lane) {
                return;
            }
            for (int i = jobs.size() - 1; i >= 0; i--) {
                lane.waiting.addFirst(jobs.get(i).again());
            }
        });
    }

    private void commit(boolean now) {
        if (!options.grouped()) {
            for (Lane lane : lanes.values()) {
                long c = lane.offsets.toCommit();
                if (c >= 0) {
                    lane.offsets.committed(c); // the position lives in memory only
                }
            }
            return;
        }
        long t = System.currentTimeMillis();
        if (!now && settledSinceCommit < COMMIT_EVERY_SETTLED && t - lastCommit < COMMIT_EVERY_MILLIS) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(lanes.values());
        lastCommit = t;
        settledSinceCommit = 0;
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                LOG.debug("pipeline '{}': commit failed ({}); it is retried with the next one", options.pipeline,
                        e.toString());
                return;
            }
            done.forEach((tp, o) -> {
                Lane lane = lanes.get(tp);
                if (lane != null) {
                    lane.offsets.committed(o.offset());
                }
            });
        });
    }

    private static Map<TopicPartition, OffsetAndMetadata> committable(Collection<Lane> of) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Lane lane : of) {
            long c = lane.offsets.toCommit();
            if (c >= 0) {
                offsets.put(lane.partition, new OffsetAndMetadata(c));
            }
        }
        return offsets;
    }

    private void commitNow(Collection<Lane> of) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(of);
        if (offsets.isEmpty() || !options.grouped()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(Math.min(5, options.timeoutSeconds)));
            offsets.forEach((tp, o) -> of.stream().filter(l -> l.partition.equals(tp))
                    .forEach(l -> l.offsets.committed(o.offset())));
        } catch (KafkaException e) {
            LOG.warn("pipeline '{}': committing {} failed: {}; those jobs may run again", options.pipeline,
                    offsets, settings.mask(String.valueOf(e.getMessage())));
        }
    }

    /** Waits (applying settlements) until the given lanes have no job at a worker, or the grace is over. */
    private void awaitRunning(Collection<Lane> of, long graceMillis) {
        long end = System.currentTimeMillis() + graceMillis;
        while (of.stream().anyMatch(l -> l.dispatched > 0) && System.currentTimeMillis() < end) {
            applySettled();
            applyRedeliveries();
            pause(10);
        }
        applySettled();
    }

    private void stats() {
        long t = System.currentTimeMillis();
        if (t - lastStats < 500) {
            return;
        }
        lastStats = t;
        long sum = 0;
        for (Lane lane : lanes.values()) {
            sum += consumer.currentLag(lane.partition).orElse(0) + lane.waiting.size() + lane.dispatched;
        }
        active = Math.max(0, sum - reserved.get());
        if (error != null && !lanes.isEmpty()) {
            error = null;
        }
    }

    private void shutdown() {
        consuming = false;
        try {
            if (consumer != null) {
                withdraw(new HashSet<>(lanes.values()));
                awaitRunning(lanes.values(), Math.min(REVOKE_GRACE_MILLIS, options.timeoutSeconds * 1000L));
                commitNow(lanes.values());
                lanes.values().forEach(l -> l.owned = false);
                lanes.clear(); // close() calls onPartitionsRevoked: nothing is left to hand over
                consumer.close(Duration.ofSeconds(Math.min(5, options.timeoutSeconds)));
            }
        } catch (RuntimeException e) {
            LOG.warn("pipeline '{}': closing the consumer: {}", options.pipeline, settings.mask(e.toString()));
        }
        lanes.values().forEach(l -> l.owned = false);
        lanes.clear();
        active = 0;
    }

    // ---- assignment: by the group (callbacks inside poll, on the poll thread) or by the driver ---------------

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            lanes.put(tp, new Lane(tp));
        }
        if (!partitions.isEmpty()) {
            LOG.info("pipeline '{}': assigned {}", options.pipeline, partitions);
        }
        if (options.consumerOffset.needsSeek() && !partitions.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, OffsetSpec> fresh = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    fresh.put(tp, options.consumerOffset);
                }
            }
            Starts.seek(consumer, fresh);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        handOver(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        handOver(partitions, false);
    }

    private void handOver(Collection<TopicPartition> partitions, boolean clean) {
        List<Lane> gone = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Lane lane = lanes.remove(tp);
            if (lane != null) {
                gone.add(lane);
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        withdraw(new HashSet<>(gone));
        if (clean) {
            awaitRunning(gone, Math.min(REVOKE_GRACE_MILLIS, options.timeoutSeconds * 1000L));
            commitNow(gone);
        }
        gone.forEach(l -> l.owned = false);
        LOG.info("pipeline '{}': {} {}", options.pipeline, clean ? "handed over" : "lost", partitions);
    }

    private void assignAll() {
        long t = System.currentTimeMillis();
        if (t < nextAssignTry) {
            return;
        }
        try {
            Map<TopicPartition, OffsetSpec> starts = new LinkedHashMap<>();
            if (!options.consumePartitions.isEmpty()) {
                options.consumePartitions.forEach((topic, parts) -> parts.forEach((p, spec) -> starts.put(
                        new TopicPartition(topic, p), spec)));
            } else {
                for (String topic : options.topics) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos == null || infos.isEmpty()) {
                        throw new KafkaException("topic '" + topic + "' has no partitions (does it exist?)");
                    }
                    for (PartitionInfo info : infos) {
                        starts.put(new TopicPartition(topic, info.partition()), options.consumerOffset);
                    }
                }
            }
            consumer.assign(starts.keySet());
            for (TopicPartition tp : starts.keySet()) {
                lanes.put(tp, new Lane(tp));
            }
            Starts.seek(consumer, starts);
            assigned = true;
            error = null;
            LOG.info("pipeline '{}': consuming {} without a consumer group", options.pipeline, starts);
        } catch (KafkaException e) {
            error = "pipeline '" + options.pipeline + "': cannot assign the partitions of " + options.topics
                    + " on kafka " + settings + ": " + settings.mask(String.valueOf(e.getMessage()));
            LOG.warn(error);
            nextAssignTry = t + 1000;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
