package org.osgijobs.driver.kafka.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.osgijobs.api.JobsException;

/**
 * The pipeline's producer: every send completes when Kafka acknowledged the record as the pipeline's
 * {@code required_acks} asks (default: all in-sync replicas), with many sends in flight, or fails with a
 * {@link JobsException} naming the brokers (never a credential) within the pipeline's timeout.
 */
final class Publisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConnectionSettings settings;
    private final int timeoutSeconds;
    private volatile boolean closed;

    Publisher(ConnectionSettings settings, PipelineOptions options) {
        this.settings = settings;
        this.timeoutSeconds = options.timeoutSeconds;
        Map<String, Object> config = settings.clientProperties();
        config.put("client.id", "osgijobs-" + options.pipeline + "-producer");
        config.putAll(options.producer);
        this.producer = Clients.producer(config);
    }

    /**
     * @param record the record
     * @param what   the job, for error messages
     * @return completes when Kafka acknowledged the record
     */
    CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, what
                    + ": the pipeline's driver is stopped"));
            return done;
        }
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure(what, record.topic(), error, true));
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            done.completeExceptionally(failure(what, record.topic(), e, false));
        }
        // no timer of our own per send: delivery.timeout.ms (at most the pipeline's timeout) and max.block.ms bound
        // every send, and the producer then completes it with a TimeoutException
        return done;
    }

    private JobsException failure(String what, String topic, Throwable error, boolean sent) {
        String text = what + ": kafka " + settings + ", topic '" + topic + "': "
                + settings.mask(error.getClass().getSimpleName() + ": " + error.getMessage());
        if (error instanceof RecordTooLargeException) {
            return new JobsException(JobsException.Kind.BAD_INPUT, text);
        }
        if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new JobsException(sent ? JobsException.Kind.OUTCOME_UNKNOWN : JobsException.Kind.UNAVAILABLE,
                    text);
        }
        if (error instanceof UnknownTopicOrPartitionException) {
            return new JobsException(JobsException.Kind.REJECTED, text);
        }
        if (error instanceof RetriableException || !sent) {
            return new JobsException(JobsException.Kind.UNAVAILABLE, text);
        }
        return new JobsException(JobsException.Kind.REJECTED, text);
    }

    void close() {
        closed = true;
        producer.close(Duration.ofSeconds(Math.min(5, timeoutSeconds)));
    }
}
