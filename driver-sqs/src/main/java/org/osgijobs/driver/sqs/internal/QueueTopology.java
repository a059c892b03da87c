package org.osgijobs.driver.sqs.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgijobs.api.JobsException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The pipeline's queue on the server: created with the pipeline's {@code attributes} and {@code tags} unless
 * {@code skip_queue_declaration} (then it must exist), and its URL and visibility timeout read back.
 */
final class QueueTopology {

    /** What {@link #prepare} found. */
    record Prepared(String url, int visibilitySeconds) {
    }

    private QueueTopology() {
    }

    /**
     * @throws JobsException of kind {@code REJECTED} when the server refuses the queue (attributes it does not take,
     *         a missing queue with {@code skip_queue_declaration}); any other failure (unreachable) as it is
     */
    static Prepared prepare(SqsClient client, PipelineOptions o, String endpoint) {
        String url;
        try {
            if (o.skipQueueDeclaration) {
                url = client.getQueueUrl(b -> b.queueName(o.queue)).queueUrl();
            } else {
                Map<String, String> attributes = new LinkedHashMap<>(o.attributes);
                if (o.fifo) {
                    attributes.putIfAbsent(QueueAttributeName.FIFO_QUEUE.toString(), "true");
                }
                url = client.createQueue(b -> {
                    b.queueName(o.queue).attributesWithStrings(attributes);
                    if (!o.tags.isEmpty()) {
                        b.tags(o.tags);
                    }
                }).queueUrl();
            }
            int visibility = o.visibilityTimeout;
            if (visibility == 0) {
                String v = client.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributesAsStrings()
                        .get(QueueAttributeName.VISIBILITY_TIMEOUT.toString());
                visibility = v == null ? 30 : Integer.parseInt(v.trim());
            }
            return new Prepared(url, visibility);
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500) {
                throw e;
            }
            String what = o.skipQueueDeclaration ? "queue '" + o.queue + "' (skip_queue_declaration: it must exist)"
                    : "queue '" + o.queue + "' with attributes " + o.attributes + " and tags " + o.tags;
            throw new JobsException(JobsException.Kind.REJECTED, "pipeline '" + o.pipeline + "': " + endpoint
                    + " refused " + what + ": " + ConnectionSettings.mask(String.valueOf(e.awsErrorDetails() != null
                            ? e.awsErrorDetails().errorMessage() : e.getMessage())), e);
        }
    }
}
