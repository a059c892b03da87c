package org.osgijobs.driver.sqs.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one SQS pipeline, with RoadRunner's names and defaults, parsed and checked once when the driver is
 * built. {@code attributes} and {@code tags} are maps: a ConfigAdmin file writes them flattened, one key each
 * ({@code attributes.VisibilityTimeout=30}, {@code tags.team=billing}). Immutable.
 */
final class PipelineOptions {

    static final String QUEUE = "queue";
    static final String PREFETCH = "prefetch";
    static final String MAX_MESSAGES_IN_FLIGHT = "max_messages_in_flight";
    static final String VISIBILITY_TIMEOUT = "visibility_timeout";
    static final String ERROR_VISIBILITY_TIMEOUT = "error_visibility_timeout";
    static final String RETAIN_FAILED_JOBS = "retain_failed_jobs";
    static final String WAIT_TIME_SECONDS = "wait_time_seconds";
    static final String MESSAGE_GROUP_ID = "message_group_id";
    static final String SKIP_QUEUE_DECLARATION = "skip_queue_declaration";
    static final String ATTRIBUTES_PREFIX = "attributes.";
    static final String TAGS_PREFIX = "tags.";
    static final String TIMEOUT = "timeout";
    /** Not RoadRunner's: the longest DelaySeconds one send asks for (SQS's own maximum, 900, unless lowered). */
    static final String MAX_DELAY_STEP = "max_delay_step";

    static final String DEFAULT_QUEUE = "default";
    static final int MAX_PREFETCH = 10;
    static final int MAX_WAIT_TIME = 20;
    /** SQS's limit of DelaySeconds and of a queue's visibility timeout. */
    static final int SQS_MAX_DELAY = 900;
    static final int SQS_MAX_VISIBILITY = 43_200;
    static final int DEFAULT_TIMEOUT = 60;

    final String pipeline;
    final long priority;
    final String queue;
    final boolean fifo;
    final int prefetch;
    final int maxMessagesInFlight;
    final int visibilityTimeout;
    final int errorVisibilityTimeout;
    final boolean retainFailedJobs;
    final int waitTimeSeconds;
    final String messageGroupId;
    final boolean skipQueueDeclaration;
    final Map<String, String> attributes;
    final Map<String, String> tags;
    final int timeoutSeconds;
    final int maxDelayStep;

    private PipelineOptions(Pipeline p) {
        pipeline = p.name();
        priority = p.priority();
        queue = p.getString(QUEUE, DEFAULT_QUEUE);
        if (queue.length() > 80 || !queue.matches("[A-Za-z0-9_-]+(\\.fifo)?")) {
            throw p.bad(QUEUE, queue, "an SQS queue name: up to 80 letters, digits, '-' and '_', ending in"
                    + " '.fifo' for a FIFO queue");
        }
        fifo = queue.endsWith(".fifo");
        prefetch = range(p, PREFETCH, 1, 1, MAX_PREFETCH);
        maxMessagesInFlight = range(p, MAX_MESSAGES_IN_FLIGHT, prefetch, 1, 100_000);
        visibilityTimeout = range(p, VISIBILITY_TIMEOUT, 0, 0, SQS_MAX_VISIBILITY);
        errorVisibilityTimeout = range(p, ERROR_VISIBILITY_TIMEOUT, 0, 0, SQS_MAX_VISIBILITY);
        retainFailedJobs = p.getBool(RETAIN_FAILED_JOBS, false);
        waitTimeSeconds = range(p, WAIT_TIME_SECONDS, 0, 0, MAX_WAIT_TIME);
        String group = p.getString(MESSAGE_GROUP_ID, "");
        if (group.length() > 128) {
            throw p.bad(MESSAGE_GROUP_ID, group, "at most 128 characters");
        }
        messageGroupId = group.isEmpty() ? pipeline : group;
        skipQueueDeclaration = p.getBool(SKIP_QUEUE_DECLARATION, false);
        attributes = prefixed(p, ATTRIBUTES_PREFIX);
        tags = prefixed(p, TAGS_PREFIX);
        timeoutSeconds = range(p, TIMEOUT, DEFAULT_TIMEOUT, 1, 3600);
        maxDelayStep = range(p, MAX_DELAY_STEP, SQS_MAX_DELAY, 1, SQS_MAX_DELAY);
    }

    /**
     * @param pipeline the pipeline
     * @return its SQS options
     * @throws org.osgijobs.api.JobsException naming the first malformed option
     */
    static PipelineOptions of(Pipeline pipeline) {
        return new PipelineOptions(pipeline);
    }

    private static int range(Pipeline p, String key, int defaultValue, int min, int max) {
        int v = p.getInt(key, defaultValue);
        if (v < min || v > max) {
            throw p.bad(key, String.valueOf(v), "a number from " + min + " to " + max);
        }
        return v;
    }

    private static Map<String, String> prefixed(Pipeline p, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        p.options().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String name = k.substring(prefix.length());
                if (name.isEmpty()) {
                    throw p.bad(k, v, "a key with a name after '" + prefix + "'");
                }
                out.put(name, v.trim());
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
