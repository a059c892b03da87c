package org.osgijobs.driver.sqs.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgijobs.api.JobsException;

import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends jobs to the pipeline's queue: SendMessage for a lone push, SendMessageBatch (up to ten entries, at most 256
 * KiB together) when several are waiting. A push's stage completes when SQS answered OK for its entry; an entry SQS
 * refused fails only its own push. A few sender threads keep several requests in flight.
 */
final class Publisher {
    static final int SENDERS = 4;
    static final int MAX_BATCH = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private record Pending(WireFormat.Outgoing out, CompletableFuture<Void> done, String what) {
    }

    private final String pipeline;
    private final SqsClient client;
    private final Supplier<String> queueUrl;
    private final String endpoint;
    private final int timeoutSeconds;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    /** Pushes whose request is on its way: failed by {@link #close} if the answer does not come in time. */
    private final Set<Pending> sending = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders;
    private volatile boolean closed;

    Publisher(String pipeline, SqsClient client, Supplier<String> queueUrl, String endpoint, int timeoutSeconds) {
        this.pipeline = pipeline;
        this.client = client;
        this.queueUrl = queueUrl;
        this.endpoint = endpoint;
        this.timeoutSeconds = timeoutSeconds;
        this.senders = Executors.newFixedThreadPool(SENDERS, new NamedThreads("sqs-" + pipeline + "-send"));
        for (int i = 0; i < SENDERS; i++) {
            senders.execute(this::sendLoop);
        }
    }

    /**
     * @param out  the encoded job
     * @param what the job, for messages
     * @return completes when SQS stored it, or fails within the timeout saying why
     */
    CompletableFuture<Void> send(WireFormat.Outgoing out, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                    + "' is stopped: " + what + " not sent"));
            return done;
        }
        waiting.add(new Pending(out, done, what));
        return done.orTimeout(timeoutSeconds, TimeUnit.SECONDS).exceptionallyCompose(e -> {
            if (e instanceof java.util.concurrent.TimeoutException) {
                return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.OUTCOME_UNKNOWN,
                        "pipeline '" + pipeline + "': " + what + ": " + endpoint + " did not answer within "
                                + timeoutSeconds + " s (timeout)"));
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    /**
     * Stops: pushes not yet sent fail at once ({@code UNAVAILABLE}); requests already sent get until the deadline for
     * SQS's answer, then their pushes fail as {@code OUTCOME_UNKNOWN} (a bundle being updated must not leave a push
     * waiting on a thread whose classes are gone).
     */
    void close(long deadlineNanos) {
        closed = true;
        List<Pending> left = new ArrayList<>();
        waiting.drainTo(left);
        for (Pending p : left) {
            p.done.completeExceptionally(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                    + "' stopped before " + p.what + " was sent"));
        }
        senders.shutdown();
        try {
            senders.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
        for (Pending p : sending) {
            p.done.completeExceptionally(new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '"
                    + pipeline + "' stopped before " + endpoint + " answered for " + p.what
                    + ": it may have been stored"));
        }
    }

    private void sendLoop() {
        while (!closed) {
            Pending first;
            try {
                first = waiting.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null || first.done.isDone()) {
                continue;
            }
            List<Pending> batch = new ArrayList<>(MAX_BATCH);
            batch.add(first);
            int bytes = first.out.size();
            while (batch.size() < MAX_BATCH) {
                Pending next = waiting.peek();
                if (next == null || bytes + next.out.size() > MAX_BATCH_BYTES) {
                    break;
                }
                next = waiting.poll();
                if (next == null) {
                    break;
                }
                if (!next.done.isDone()) {
                    batch.add(next);
                    bytes += next.out.size();
                }
            }
            sending.addAll(batch);
            try {
                if (batch.size() == 1) {
                    sendOne(first);
                } else {
                    sendBatch(batch);
                }
            } catch (RuntimeException e) {
                JobsException failure = failure(e);
                for (Pending p : batch) {
                    p.done.completeExceptionally(new JobsException(failure.kind(), p.what + ": "
                            + failure.getMessage(), e));
                }
            } catch (Error e) { // a bundle update pulled the classes away mid-request: the outcome is unknown
                for (Pending p : batch) {
                    p.done.completeExceptionally(new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '"
                            + pipeline + "': " + p.what + ": " + e, e));
                }
                if (closed) {
                    return;
                }
                throw e;
            } finally {
                sending.removeAll(batch);
            }
        }
    }

    private void sendOne(Pending p) {
        WireFormat.Outgoing o = p.out;
        client.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl.get()).messageBody(o.body())
                .messageAttributes(o.attributes()).delaySeconds(o.delaySeconds() > 0 ? o.delaySeconds() : null)
                .messageGroupId(o.groupId()).messageDeduplicationId(o.deduplicationId()).build());
        p.done.complete(null);
    }

    private void sendBatch(List<Pending> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        Map<String, Pending> byId = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            WireFormat.Outgoing o = batch.get(i).out;
            String id = Integer.toString(i);
            byId.put(id, batch.get(i));
            entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(o.body())
                    .messageAttributes(o.attributes()).delaySeconds(o.delaySeconds() > 0 ? o.delaySeconds() : null)
                    .messageGroupId(o.groupId()).messageDeduplicationId(o.deduplicationId()).build());
        }
        SendMessageBatchResponse r = client.sendMessageBatch(b -> b.queueUrl(queueUrl.get()).entries(entries));
        r.successful().forEach(s -> {
            Pending p = byId.remove(s.id());
            if (p != null) {
                p.done.complete(null);
            }
        });
        for (BatchResultErrorEntry f : r.failed()) {
            Pending p = byId.remove(f.id());
            if (p != null) {
                p.done.completeExceptionally(new JobsException(Boolean.TRUE.equals(f.senderFault())
                        ? JobsException.Kind.REJECTED : JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline
                        + "': " + endpoint + " refused " + p.what + ": " + f.code() + " " + f.message()));
            }
        }
        for (Pending p : byId.values()) { // neither successful nor failed: SQS did not say
            p.done.completeExceptionally(new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '"
                    + pipeline + "': " + endpoint + " did not report on " + p.what));
        }
    }

    /** The failure of a whole request, naming the endpoint (never credentials). */
    JobsException failure(RuntimeException e) {
        if (e instanceof JobsException) {
            return (JobsException) e;
        }
        String text = ConnectionSettings.mask(String.valueOf(e.getMessage()));
        if (e instanceof ApiCallTimeoutException) {
            return new JobsException(JobsException.Kind.OUTCOME_UNKNOWN, "pipeline '" + pipeline + "': " + endpoint
                    + " did not answer within " + timeoutSeconds + " s (timeout)", e);
        }
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException) {
            return new JobsException(JobsException.Kind.REJECTED, "pipeline '" + pipeline + "': " + endpoint
                    + " refused: " + text, e);
        }
        return new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline '" + pipeline + "': cannot reach "
                + endpoint + ": " + text, e);
    }
}
