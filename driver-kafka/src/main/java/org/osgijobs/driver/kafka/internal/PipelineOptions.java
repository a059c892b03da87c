package org.osgijobs.driver.kafka.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one Kafka pipeline, with RoadRunner's names flattened for ConfigAdmin files (a nested option is
 * written with dots: {@code consumer_options.topics}, {@code consumer_options.consumer_offset.type},
 * {@code consumer_options.consume_partitions.<topic>.<partition>.type}), parsed and checked once when the driver is
 * built. Immutable.
 */
final class PipelineOptions {
    static final String PREFETCH = "prefetch";
    static final String TIMEOUT = "timeout";
    static final String AUTO_CREATE = "auto_create_topics_enable";
    static final String TOPIC_PARTITIONS = "topic_partitions";
    static final String DELAY_TOPIC = "delay_topic";
    static final String TOPICS = "consumer_options.topics";
    static final String REGEXP = "consumer_options.consume_regexp";
    static final String MAX_FETCH = "consumer_options.max_fetch_message_size";
    static final String MIN_FETCH = "consumer_options.min_fetch_message_size";
    static final String PARTITIONS = "consumer_options.consume_partitions.";
    static final String OFFSET = "consumer_options.consumer_offset";
    static final String GROUP_ID = "group_options.group_id";
    static final String INSTANCE_ID = "group_options.instance_id";
    static final String BLOCK_REBALANCE = "group_options.block_rebalance_on_poll";
    static final String ACKS = "producer_options.required_acks";
    static final String DISABLE_IDEMPOTENT = "producer_options.disable_idempotent";
    static final String MAX_MESSAGE_BYTES = "producer_options.max_message_bytes";
    static final String REQUEST_TIMEOUT = "producer_options.request_timeout";
    static final String DELIVERY_TIMEOUT = "producer_options.delivery_timeout";
    static final String TRANSACTION_TIMEOUT = "producer_options.transaction_timeout";
    static final String COMPRESSION = "producer_options.compression_codec";
    static final String PRODUCER_PROPERTIES = "producer_properties.";
    static final String CONSUMER_PROPERTIES = "consumer_properties.";

    static final int DEFAULT_PREFETCH = 100;
    static final int DEFAULT_TIMEOUT = 60;
    static final String DELAY_SUFFIX = ".delay";

    /** Client settings the driver owns: a pass-through property may not change them. */
    private static final Set<String> OWNED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.auto.commit", "group.id", "group.instance.id",
            "security.protocol", "sasl.jaas.config", "sasl.mechanism", "auto.offset.reset");

    final String pipeline;
    final long priority;
    final int timeoutSeconds;
    final int prefetch;
    final boolean autoCreateTopics;
    final int topicPartitions;
    final List<String> topics;
    final boolean consumeRegexp;
    final Pattern topicPattern;
    final String pushTopic;
    final String delayTopic;
    final Map<String, Map<Integer, OffsetSpec>> consumePartitions;
    final OffsetSpec consumerOffset;
    final String groupId;
    final String instanceId;
    final Map<String, Object> producer;
    final Map<String, Object> consumer;

    private PipelineOptions(Pipeline p) {
        pipeline = p.name();
        priority = p.priority();
        timeoutSeconds = p.getInt(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeoutSeconds < 1) {
            throw p.bad(TIMEOUT, String.valueOf(timeoutSeconds), "a number of seconds above 0");
        }
        prefetch = p.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetch < 1) {
            throw p.bad(PREFETCH, String.valueOf(prefetch), "a number above 0 (jobs in flight per partition)");
        }
        autoCreateTopics = p.getBool(AUTO_CREATE, false);
        topicPartitions = p.getInt(TOPIC_PARTITIONS, -1);
        if (topicPartitions == 0 || topicPartitions < -1) {
            throw p.bad(TOPIC_PARTITIONS, String.valueOf(topicPartitions), "a number above 0");
        }
        List<String> t = ConnectionSettings.list(p.getString(TOPICS, ""));
        topics = Collections.unmodifiableList(t.isEmpty() ? List.of(pipeline) : t);
        consumeRegexp = p.getBool(REGEXP, false);
        groupId = p.getString(GROUP_ID, "").trim();
        instanceId = p.getString(INSTANCE_ID, "").trim();
        if (!instanceId.isEmpty() && groupId.isEmpty()) {
            throw p.bad(INSTANCE_ID, instanceId, "empty while " + GROUP_ID + " is not set (static membership needs a group)");
        }
        p.getBool(BLOCK_REBALANCE, false); // checked, not needed: one thread owns the consumer and its rebalances
        if (consumeRegexp) {
            pushTopic = p.getString("producer_options.topic", pipeline);
        } else {
            pushTopic = topics.get(0);
        }
        delayTopic = p.getString(DELAY_TOPIC, pushTopic + DELAY_SUFFIX);
        if (topics.contains(delayTopic)) {
            throw p.bad(DELAY_TOPIC, delayTopic, "another topic than the ones the pipeline consumes");
        }
        if (consumeRegexp) {
            if (groupId.isEmpty()) {
                throw p.bad(REGEXP, "true", "false while " + GROUP_ID + " is not set (this driver subscribes to"
                        + " patterns with a consumer group only)");
            }
            try {
                StringBuilder any = new StringBuilder();
                for (String r : topics) {
                    Pattern.compile(r);
                    any.append(any.length() == 0 ? "" : "|").append("(?:").append(r).append(')');
                }
                topicPattern = Pattern.compile("^(?!" + Pattern.quote(delayTopic) + "$)(?:" + any + ")$");
            } catch (PatternSyntaxException e) {
                throw p.bad(TOPICS, p.getString(TOPICS, ""), "a list of regular expressions (" + e.getDescription()
                        + ")");
            }
        } else {
            topicPattern = null;
        }
        consumerOffset = OffsetSpec.of(p, OFFSET, OffsetSpec.AT_START);
        consumePartitions = partitions(p);
        if (!consumePartitions.isEmpty() && (!groupId.isEmpty() || consumeRegexp)) {
            throw p.bad(PARTITIONS + "*", consumePartitions.keySet().toString(), "absent when "
                    + GROUP_ID + " or consume_regexp is set (RoadRunner does not allow it either)");
        }
        producer = producer(p, timeoutSeconds);
        consumer = consumer(p);
    }

    /**
     * @param p the pipeline's options
     * @return them, checked
     * @throws org.osgijobs.api.JobsException of kind {@code BAD_INPUT} naming the option that is wrong
     */
    static PipelineOptions of(Pipeline p) {
        return new PipelineOptions(p);
    }

    boolean grouped() {
        return !groupId.isEmpty();
    }

    /** @return the group of the delay topic's consumer: the pipeline's group, or one named after the pipeline */
    String delayGroup() {
        return (grouped() ? groupId : "osgijobs." + pipeline) + DELAY_SUFFIX;
    }

    private static Map<String, Map<Integer, OffsetSpec>> partitions(Pipeline p) {
        Map<String, Map<Integer, OffsetSpec>> out = new TreeMap<>();
        for (String key : p.options().keySet()) {
            if (!key.startsWith(PARTITIONS) || !key.endsWith(".type")) {
                continue;
            }
            String rest = key.substring(PARTITIONS.length(), key.length() - ".type".length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) {
                throw p.bad(key, p.getString(key, ""), "under " + PARTITIONS + "<topic>.<partition>.type");
            }
            String topic = rest.substring(0, dot);
            int partition;
            try {
                partition = Integer.parseInt(rest.substring(dot + 1));
            } catch (NumberFormatException e) {
                throw p.bad(key, p.getString(key, ""), "under " + PARTITIONS + "<topic>.<partition>.type with a"
                        + " partition number");
            }
            out.computeIfAbsent(topic, x -> new TreeMap<>())
                    .put(partition, OffsetSpec.of(p, key.substring(0, key.length() - ".type".length()), null));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Object> producer(Pipeline p, int timeoutSeconds) {
        Map<String, Object> c = new LinkedHashMap<>();
        String acks = p.getString(ACKS, "AllISRAck");
        switch (acks.toLowerCase(Locale.ROOT)) {
            case "allisrack":
            case "allisracks":
            case "all":
            case "-1":
                c.put("acks", "all");
                break;
            case "leaderack":
            case "1":
                c.put("acks", "1");
                break;
            case "noack":
            case "0":
                c.put("acks", "0");
                break;
            default:
                throw p.bad(ACKS, acks, "NoAck, LeaderAck or AllISRAck");
        }
        boolean idempotent = !p.getBool(DISABLE_IDEMPOTENT, false) && "all".equals(c.get("acks"));
        c.put("enable.idempotence", idempotent);
        if (p.has(MAX_MESSAGE_BYTES)) {
            int max = p.getInt(MAX_MESSAGE_BYTES, 1_000_012);
            if (max < 1) {
                throw p.bad(MAX_MESSAGE_BYTES, String.valueOf(max), "a number of bytes above 0");
            }
            c.put("max.request.size", max);
        }
        long budget = timeoutSeconds * 1000L;
        long delivery = Math.min(budget, duration(p, DELIVERY_TIMEOUT, budget));
        long linger = 5;
        long request = Math.min(duration(p, REQUEST_TIMEOUT, 10_000), Math.max(1, delivery - linger));
        c.put("linger.ms", (int) linger);
        c.put("request.timeout.ms", (int) request);
        c.put("delivery.timeout.ms", (int) Math.max(delivery, request + linger));
        c.put("max.block.ms", budget);
        duration(p, TRANSACTION_TIMEOUT, 40_000); // checked; no transactions here
        String codec = p.getString(COMPRESSION, "none").toLowerCase(Locale.ROOT);
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(codec)) {
            throw p.bad(COMPRESSION, codec, "gzip, snappy, lz4 or zstd");
        }
        c.put("compression.type", codec);
        passThrough(p, PRODUCER_PROPERTIES, c);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, Object> consumer(Pipeline p) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (p.has(MAX_FETCH)) {
            c.put("fetch.max.bytes", positive(p, MAX_FETCH));
        }
        if (p.has(MIN_FETCH)) {
            c.put("fetch.min.bytes", positive(p, MIN_FETCH));
        }
        passThrough(p, CONSUMER_PROPERTIES, c);
        return Collections.unmodifiableMap(c);
    }

    private static int positive(Pipeline p, String key) {
        int v = p.getInt(key, 1);
        if (v < 1) {
            throw p.bad(key, String.valueOf(v), "a number of bytes above 0");
        }
        return v;
    }

    private static void passThrough(Pipeline p, String prefix, Map<String, Object> into) {
        List<String> keys = new ArrayList<>();
        for (String key : p.options().keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        for (String key : keys) {
            String name = key.substring(prefix.length());
            if (OWNED.contains(name) || name.startsWith("ssl.") || name.startsWith("sasl.")) {
                throw p.bad(key, p.getString(key, ""), "a client setting the driver leaves open (" + name
                        + " is set by the driver or by jobs.kafka)");
            }
            into.put(name, p.getString(key, ""));
        }
    }

    private static long duration(Pipeline p, String key, long dflt) {
        if (!p.has(key)) {
            return dflt;
        }
        String v = p.getString(key, "");
        long ms = Durations.millis(v);
        if (ms <= 0) {
            throw p.bad(key, v, "a duration such as 10s or 500ms");
        }
        return ms;
    }
}
