package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which keys of a pipeline configuration mean something, so that a misspelt or unknown key ({@code priorty=5})
 * is reported instead of passing without a word.
 *
 * <p>
 * Decision: the 1.0 driver SPI does not let a driver tell the core its option names (that would be a jobs-api 1.1
 * addition to {@code Constructor}). So the core keeps the option names of the drivers it knows, by driver kind:
 * {@code memory}, {@code amqp}, {@code local}, {@code nats}, {@code jdbc}, {@code kafka}, {@code sqs} and {@code beanstalk}. For those kinds every key that is neither the
 * core's nor that driver's is reported, with the nearest known key. For any other kind (a third-party driver) the
 * core cannot tell its options from typos, so it reports only a near miss of a known key (edit distance 1 or 2,
 * such as {@code priorty}); other keys pass. A driver of this project that gains an option must be added here,
 * or its pipelines will warn about it (a warning only: the option still reaches the driver).
 */
final class KnownOptions {
    /** The keys the core reads itself (besides handing them to drivers). */
    static final Set<String> CORE = Set.of("name", "driver", "priority", "consume", "max_attempts", "retry_delay",
            "retry_multiplier", "retry_max_delay", "dead_letter_pipeline", "no_handler_delay", "no_handler_rounds",
            "job_timeout", "timeout");

    /** The options of the drivers of this project, by driver kind. */
    static final Map<String, Set<String>> DRIVERS = Map.of(
            "memory", Set.of("prefetch", "max_jobs"),
            "amqp", Set.of("prefetch", "redial_timeout", "queue", "exchange", "exchange_type", "routing_key",
                    "exclusive", "durable", "exchange_durable", "exchange_auto_delete", "queue_auto_delete",
                    "delete_queue_on_stop", "multiple_ack", "requeue_on_fail", "consumer_id", "queue_headers",
                    "publish_window", "wire"),
            "local", Set.of("file", "prefetch", "sync", "max_jobs"),
            "nats", Set.of("subject", "stream", "prefetch", "delete_after_ack", "delete_stream_on_stop", "ack_wait",
                    "deliver_new", "rate_limit", "consumer", "delay_subject", "publish_window"),
            "jdbc", Set.of("prefetch", "poll_interval", "lease", "tx_provider", "keep_done"),
            "kafka", Set.of("prefetch", "auto_create_topics_enable", "topic_partitions", "delay_topic"),
            "beanstalk", Set.of("tube", "tube_priority", "reserve_timeout", "prefetch", "reserve_connections"),
            "sqs", Set.of("queue", "prefetch", "max_messages_in_flight", "visibility_timeout",
                    "error_visibility_timeout", "retain_failed_jobs", "wait_time_seconds", "message_group_id",
                    "skip_queue_declaration", "max_delay_step"));

    /** Families of keys of a driver, by their common beginning (the AMQP queue arguments one by one). */
    static final Map<String, Set<String>> DRIVER_PREFIXES = Map.of("amqp", Set.of("queue_headers."),
            // RoadRunner's nested options, flattened, and the client's own properties passed through
            "kafka", Set.of("producer_options.", "consumer_options.", "group_options.", "producer_properties.",
                    "consumer_properties."),
            "sqs", Set.of("attributes.", "tags."));

    /** A key this close to a known one is taken for a slip of it, whatever the driver. */
    private static final int NEAR_MISS = 2;

    private KnownOptions() {
    }

    /**
     * @param driver the pipeline's driver kind
     * @param keys   the configuration's keys (framework keys such as {@code service.pid} already left out)
     * @return one text per unknown key, naming it and the nearest known key, in key order; empty when all are known
     */
    static List<String> unknown(String driver, Set<String> keys) {
        Set<String> driverKeys = driver == null ? null : DRIVERS.get(driver);
        Set<String> known = new TreeSet<>(CORE);
        if (driverKeys != null) {
            known.addAll(driverKeys);
        } else {
            DRIVERS.values().forEach(known::addAll); // near misses of any known option count
        }
        List<String> found = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            if (known.contains(key) || DRIVER_PREFIXES.getOrDefault(driver == null ? "" : driver, Set.of()).stream()
                    .anyMatch(key::startsWith)) {
                continue;
            }
            String nearest = null;
            int best = Integer.MAX_VALUE;
            for (String candidate : known) {
                int d = distance(key, candidate);
                if (d < best) {
                    best = d;
                    nearest = candidate;
                }
            }
            if (driverKeys != null || best <= NEAR_MISS) {
                found.add("'" + key + "' (nearest known key: '" + nearest + "')");
            }
        }
        return found;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
