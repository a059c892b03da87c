package org.osgijobs.driver.nats.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.osgijobs.api.driver.Pipeline;

/**
 * The options of one NATS pipeline, with RoadRunner's names and defaults, parsed and checked once when the driver
 * is built. Immutable.
 */
final class PipelineOptions {

    static final String SUBJECT = "subject";
    static final String STREAM = "stream";
    static final String PREFETCH = "prefetch";
    static final String DELETE_AFTER_ACK = "delete_after_ack";
    static final String DELETE_STREAM_ON_STOP = "delete_stream_on_stop";
    static final String ACK_WAIT = "ack_wait";
    static final String DELIVER_NEW = "deliver_new";
    static final String RATE_LIMIT = "rate_limit";
    /** Not RoadRunner's: the durable consumer's name (default derived from the pipeline's name). */
    static final String CONSUMER = "consumer";
    /** Not RoadRunner's: the subject delayed jobs wait on. */
    static final String DELAY_SUBJECT = "delay_subject";
    static final String TIMEOUT = "timeout";
    static final String PUBLISH_WINDOW = "publish_window";

    static final String DEFAULT_SUBJECT = "default";
    static final String DEFAULT_STREAM = "default-stream";
    static final int DEFAULT_PREFETCH = 100;
    static final int DEFAULT_ACK_WAIT = 30;
    static final int DEFAULT_TIMEOUT = 60;
    static final int DEFAULT_PUBLISH_WINDOW = 1000;
    static final String DELAY_PREFIX = "osgijobs-delayed.";
    static final String CONSUMER_PREFIX = "osgijobs-";

    final String pipeline;
    final long priority;
    final String subject;
    final String stream;
    final int prefetch;
    final boolean deleteAfterAck;
    final boolean deleteStreamOnStop;
    final int ackWaitSeconds;
    final boolean deliverNew;
    final String consumer;
    final String delaySubject;
    final int timeoutSeconds;
    final int publishWindow;

    private PipelineOptions(Pipeline p) {
        pipeline = p.name();
        priority = p.priority();
        subject = subject(p, SUBJECT, DEFAULT_SUBJECT);
        stream = name(p, STREAM, DEFAULT_STREAM);
        int prefetchValue = p.getInt(PREFETCH, DEFAULT_PREFETCH);
        if (prefetchValue < 0) {
            throw p.bad(PREFETCH, String.valueOf(prefetchValue), "a number not below 0 (0 means "
                    + DEFAULT_PREFETCH + ")");
        }
        prefetch = prefetchValue == 0 ? DEFAULT_PREFETCH : prefetchValue;
        deleteAfterAck = p.getBool(DELETE_AFTER_ACK, false);
        deleteStreamOnStop = p.getBool(DELETE_STREAM_ON_STOP, false);
        ackWaitSeconds = p.getInt(ACK_WAIT, DEFAULT_ACK_WAIT);
        if (ackWaitSeconds < 1) {
            throw p.bad(ACK_WAIT, String.valueOf(ackWaitSeconds), "a number of seconds above 0");
        }
        deliverNew = p.getBool(DELIVER_NEW, false);
        long rateLimit = p.getLong(RATE_LIMIT, 1000);
        if (rateLimit < 0) {
            throw p.bad(RATE_LIMIT, String.valueOf(rateLimit), "a number not below 0");
        }
        consumer = p.has(CONSUMER) ? name(p, CONSUMER, "") : consumerName(pipeline);
        delaySubject = subject(p, DELAY_SUBJECT, DELAY_PREFIX + subject);
        if (delaySubject.equals(subject)) {
            throw p.bad(DELAY_SUBJECT, delaySubject, "another subject than the pipeline's 'subject'");
        }
        timeoutSeconds = p.getInt(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeoutSeconds < 1) {
            throw p.bad(TIMEOUT, String.valueOf(timeoutSeconds), "a number of seconds above 0");
        }
        publishWindow = p.getInt(PUBLISH_WINDOW, DEFAULT_PUBLISH_WINDOW);
        if (publishWindow < 1) {
            throw p.bad(PUBLISH_WINDOW, String.valueOf(publishWindow), "a number above 0");
        }
    }

    /**
     * @param pipeline the pipeline
     * @return its NATS options
     * @throws org.osgijobs.api.JobsException naming the first malformed option
     */
    static PipelineOptions of(Pipeline pipeline) {
        return new PipelineOptions(pipeline);
    }

    /** @return the durable consumer that moves due delayed jobs: the pipeline's consumer name + {@code -delayed} */
    String delayConsumer() {
        return consumer + "-delayed";
    }

    /**
     * The durable consumer's name for a pipeline: {@code osgijobs-} and the pipeline's name, where every character
     * that NATS does not take in a name (anything but ASCII letters, digits, {@code -} and {@code _}) becomes
     * {@code _}; when one did, 8 hex digits of the name's SHA-256 follow, so that two names that differ only there
     * stay apart.
     */
    static String consumerName(String pipeline) {
        StringBuilder b = new StringBuilder(CONSUMER_PREFIX);
        boolean replaced = false;
        for (int i = 0; i < pipeline.length(); i++) {
            char c = pipeline.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                b.append(c);
            } else {
                b.append('_');
                replaced = true;
            }
        }
        if (replaced) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(pipeline.getBytes(StandardCharsets.UTF_8));
                b.append('-').append(HexFormat.of().formatHex(hash, 0, 4));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }
        return b.toString();
    }

    /** A stream or consumer name: no whitespace, {@code .}, {@code *}, {@code >}, path separators. */
    private static String name(Pipeline p, String key, String defaultValue) {
        String v = p.getString(key, defaultValue);
        if (v.length() > 255) {
            throw p.bad(key, v, "at most 255 characters long");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || c < 0x20) {
                throw p.bad(key, v, "a name without whitespace, '.', '*', '>', '/' or '\\'");
            }
        }
        return v;
    }

    /** A subject one can publish to: dot-separated tokens, none empty, no wildcard, no whitespace. */
    private static String subject(Pipeline p, String key, String defaultValue) {
        String v = p.getString(key, defaultValue);
        for (String token : v.split("\\.", -1)) {
            if (token.isEmpty() || token.equals("*") || token.equals(">")) {
                throw p.bad(key, v, "a subject one can publish to (dot-separated tokens, none empty, no '*' or '>')");
            }
            for (int i = 0; i < token.length(); i++) {
                if (Character.isWhitespace(token.charAt(i)) || token.charAt(i) < 0x20) {
                    throw p.bad(key, v, "a subject without whitespace");
                }
            }
        }
        return v;
    }
}
