package org.osgijobs.driver.sqs.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes acknowledged messages: DeleteMessage for a lone one, DeleteMessageBatch (up to ten) when several are
 * ready. A delete that fails leaves the message to come back after its visibility timeout: a duplicate, never a
 * loss. Each delete's callback runs once SQS answered (or the delete was given up), which frees its place in
 * {@code max_messages_in_flight}.
 */
final class Deleter {
    private static final Logger LOG = LoggerFactory.getLogger(Deleter.class);
    /** One thread: with batches of ten it keeps up with the receives, and it keeps HTTP connections few. */
    static final int THREADS = 1;
    static final int ATTEMPTS = 3;

    private record Pending(String receipt, Runnable after) {
    }

    private final String pipeline;
    private final SqsClient client;
    private final Supplier<String> queueUrl;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final ExecutorService threads;
    private volatile boolean closing;

    Deleter(String pipeline, SqsClient client, Supplier<String> queueUrl) {
        this.pipeline = pipeline;
        this.client = client;
        this.queueUrl = queueUrl;
        this.threads = Executors.newFixedThreadPool(THREADS, new NamedThreads("sqs-" + pipeline + "-delete"));
        for (int i = 0; i < THREADS; i++) {
            threads.execute(this::loop);
        }
    }

    /** @return {@code false} once closing: the caller deletes by itself */
    boolean delete(String receipt, Runnable after) {
        if (closing) {
            return false;
        }
        waiting.add(new Pending(receipt, after));
        return true;
    }

    /** Sends what is waiting (up to the deadline), then stops. */
    void close(long deadlineNanos) {
        closing = true;
        threads.shutdown();
        try {
            threads.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        List<Pending> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(p -> p.after.run());
    }

    private void loop() {
        while (true) {
            Pending first;
            try {
                first = waiting.poll(closing ? 0 : 200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            List<Pending> batch = new ArrayList<>(10);
            batch.add(first);
            waiting.drainTo(batch, 9);
            try {
                send(batch);
            } finally {
                batch.forEach(p -> p.after.run());
            }
        }
    }

    private void send(List<Pending> batch) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                if (batch.size() == 1) {
                    client.deleteMessage(b -> b.queueUrl(queueUrl.get()).receiptHandle(batch.get(0).receipt));
                    return;
                }
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
                Map<String, Pending> byId = new HashMap<>();
                for (int i = 0; i < batch.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(batch.get(i).receipt).build());
                }
                DeleteMessageBatchResponse r = client.deleteMessageBatch(b -> b.queueUrl(queueUrl.get())
                        .entries(entries));
                r.failed().forEach(f -> LOG.info("pipeline '{}': a delete was refused ({} {}); the message comes"
                        + " back after its visibility timeout", pipeline, f.code(), f.message()));
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || closing && Thread.currentThread().isInterrupted()) {
                    LOG.warn("pipeline '{}': {} deletes failed ({}); those messages come back after their visibility"
                            + " timeout", pipeline, batch.size(), ConnectionSettings.mask(String.valueOf(
                                    e.getMessage())));
                    return;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
