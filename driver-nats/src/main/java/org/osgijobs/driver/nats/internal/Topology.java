package org.osgijobs.driver.nats.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.osgijobs.api.JobsException;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * What a pipeline needs on the server: its stream (created when missing, with the pipeline's subject and its delay
 * subject, file storage; an existing stream is used as it is), its durable consumer (shared by every runtime that
 * consumes the pipeline) and the durable consumer of its delay subject. Immutable; every call is a request to the
 * server, made on the driver's control thread.
 */
final class Topology {
    /** The server's error code for a stream that does not exist. */
    static final int STREAM_NOT_FOUND = 10059;
    /** The server's error code for a consumer that does not exist. */
    static final int CONSUMER_NOT_FOUND = 10014;

    /**
     * How long the delay consumer lets a message be unacknowledged before the server delivers it again: only a due
     * job that reached a subscription just as it stopped, or a runtime that died while moving it, waits that long
     * (a job that is not due is handed back with its own delay).
     */
    static final Duration DELAY_ACK_WAIT = Duration.ofSeconds(5);

    private final PipelineOptions options;

    Topology(PipelineOptions options) {
        this.options = options;
    }

    /**
     * Makes sure the stream and the consumers exist.
     *
     * @return whether the stream takes the delay subject (when it does not, delayed jobs wait in the pipeline's own
     *         subject: see the README)
     * @throws JobsException of kind {@code REJECTED} when an existing stream or consumer does not fit the pipeline
     */
    boolean ensure(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        boolean delays = ensureStream(jsm);
        ensureConsumer(jsm, mainConsumer());
        if (delays) {
            ensureConsumer(jsm, delayConsumer());
        }
        return delays;
    }

    private boolean ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(options.stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            try {
                jsm.addStream(StreamConfiguration.builder().name(options.stream)
                        .subjects(options.subject, options.delaySubject).storageType(StorageType.File).build());
                return true;
            } catch (JetStreamApiException created) {
                if (created.getApiErrorCode() == 10058) { // created meanwhile by another runtime
                    return ensureStream(jsm);
                }
                throw new JobsException("pipeline '" + options.pipeline + "': cannot create stream '"
                        + options.stream + "' with subjects '" + options.subject + "' and '" + options.delaySubject
                        + "': " + created.getErrorDescription() + " (" + created.getApiErrorCode() + ")", created);
            }
        }
        List<String> subjects = info.getConfiguration().getSubjects();
        if (!covers(subjects, options.subject)) {
            throw new JobsException("pipeline '" + options.pipeline + "': stream '" + options.stream
                    + "' exists with subjects " + subjects + ", which do not take the pipeline's subject '"
                    + options.subject + "'; the driver does not change an existing stream: set the pipeline's"
                    + " 'subject' or 'stream' to match, or change the stream");
        }
        return covers(subjects, options.delaySubject);
    }

    private void ensureConsumer(JetStreamManagement jsm, ConsumerConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            ConsumerInfo existing = jsm.getConsumerInfo(options.stream, wanted.getDurable());
            ConsumerConfiguration have = existing.getConsumerConfiguration();
            String filter = have.getFilterSubject();
            if (have.getAckPolicy() != AckPolicy.Explicit || filter == null
                    || !filter.equals(wanted.getFilterSubject())) {
                throw new JobsException("pipeline '" + options.pipeline + "': consumer '" + wanted.getDurable()
                        + "' of stream '" + options.stream + "' exists with filter subject '" + filter
                        + "' and ack policy " + have.getAckPolicy() + "; the pipeline needs filter '"
                        + wanted.getFilterSubject() + "' and explicit acks: set the pipeline's 'consumer' to"
                        + " another name, or delete that consumer");
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
        }
        try {
            jsm.addOrUpdateConsumer(options.stream, wanted);
        } catch (JetStreamApiException e) {
            throw new JobsException("pipeline '" + options.pipeline + "': cannot create or update consumer '"
                    + wanted.getDurable() + "' of stream '" + options.stream + "': " + e.getErrorDescription()
                    + " (" + e.getApiErrorCode() + ")", e);
        }
    }

    /** @return the pipeline's durable consumer: explicit acks, max ack pending = prefetch, redelivered for ever */
    ConsumerConfiguration mainConsumer() {
        return ConsumerConfiguration.builder()
                .durable(options.consumer)
                .filterSubject(options.subject)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(options.ackWaitSeconds))
                .maxAckPending(options.prefetch)
                .maxDeliver(-1)
                .deliverPolicy(options.deliverNew ? DeliverPolicy.New : DeliverPolicy.All)
                .build();
    }

    /** @return the delay subject's durable consumer: no bound on pending delayed jobs */
    ConsumerConfiguration delayConsumer() {
        return ConsumerConfiguration.builder()
                .durable(options.delayConsumer())
                .filterSubject(options.delaySubject)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(DELAY_ACK_WAIT)
                .maxAckPending(-1)
                .maxDeliver(-1)
                .deliverPolicy(DeliverPolicy.All)
                .build();
    }

    /** @return whether one of the stream's subjects (wildcards allowed) takes the subject */
    static boolean covers(List<String> patterns, String subject) {
        for (String pattern : patterns) {
            if (matches(pattern, subject)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return i < s.length;
            }
            if (i >= s.length || !(p[i].equals("*") || p[i].equals(s[i]))) {
                return false;
            }
        }
        return p.length == s.length;
    }
}
