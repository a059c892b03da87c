package org.osgijobs.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The SQS baseline: the AWS SDK v2 client alone (the same URL-connection HTTP client), doing what the driver does.
 * Sends: SendMessageBatch of up to ten messages with RoadRunner's six attributes, from as many sender threads as the
 * driver has, with the same window in flight. Receives: one thread long-polling ReceiveMessage for up to ten
 * messages, never more than {@code inFlight} unsettled, handing them to {@code workers} threads that run the job's
 * {@link JobWork} and hand the receipt to a delete thread (DeleteMessageBatch of what is ready, up to ten).
 */
final class RawSqsBaseline implements AutoCloseable {
    static final int SENDERS = 4;

    private final SqsClient client;
    private final String url;
    private final int windowSize;
    private final Semaphore inFlight;
    private final ExecutorService workers;
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    private final LinkedBlockingQueue<String> deletes = new LinkedBlockingQueue<>();
    private final Thread poller;
    private final Thread deleter;
    private volatile boolean running = true;
    private volatile JobWork work = JobWork.NONE;

    RawSqsBaseline(String endpoint, String queue, int workerCount, int inFlight, int waitSeconds, int windowSize) {
        this.client = SqsClient.builder().httpClient(UrlConnectionHttpClient.builder()
                .socketTimeout(Duration.ofSeconds(30)).build()).endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("bench", "bench"))).build();
        this.url = client.createQueue(b -> b.queueName(queue)).queueUrl();
        client.purgeQueue(b -> b.queueUrl(url));
        this.windowSize = windowSize;
        this.inFlight = new Semaphore(inFlight);
        this.workers = Executors.newFixedThreadPool(workerCount);
        this.poller = new Thread(() -> poll(waitSeconds), "sqs-baseline-poll");
        this.deleter = new Thread(this::delete, "sqs-baseline-delete");
        poller.start();
        deleter.start();
    }

    void use(JobWork next) {
        this.work = next;
    }

    private void poll(int waitSeconds) {
        while (running) {
            try {
                inFlight.acquire();
                int n = 1;
                long fill = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (n < 10 && inFlight.tryAcquire(Math.max(0, fill - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    n++;
                }
                int asked = n;
                List<Message> got = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(asked)
                        .waitTimeSeconds(waitSeconds).messageAttributeNames("All")).messages();
                inFlight.release(asked - got.size());
                for (Message m : got) {
                    workers.execute(() -> {
                        byte[] payload = Base64.getDecoder().decode(m.body());
                        work.run(payload, System.nanoTime());
                        deletes.add(m.receiptHandle());
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("sqs baseline: receive failed: " + e);
                }
            }
        }
    }

    private void delete() {
        while (running) {
            try {
                String first = deletes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<String> batch = new ArrayList<>();
                batch.add(first);
                deletes.drainTo(batch, 9);
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(batch.get(i)).build());
                }
                client.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
                inFlight.release(batch.size());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Sends one round (batches of ten, {@value #SENDERS} threads, at most the window in flight) and waits for SQS's
     * answers; the workers handle the jobs meanwhile.
     *
     * @return the {@link System#nanoTime()} of the last answer
     */
    long send(int jobs, long timeoutSeconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        Semaphore window = new Semaphore(windowSize);
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
        for (int i = 0; i < jobs; i++) {
            if (!window.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sends stayed unanswered for " + timeoutSeconds + " s");
            }
            String body = Base64.getEncoder().encodeToString(Payloads.stampedNow(0));
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(batch.size())).messageBody(body)
                    .messageAttributes(roadRunner(Integer.toString(i))).build());
            if (batch.size() == 10 || i == jobs - 1) {
                List<SendMessageBatchRequestEntry> entries = batch;
                batch = new ArrayList<>(10);
                senders.execute(() -> {
                    try {
                        SendMessageBatchResponse r = client.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                        failed.addAndGet(r.failed().size());
                    } catch (RuntimeException e) {
                        failed.addAndGet(entries.size());
                    }
                    last.accumulateAndGet(System.nanoTime(), Math::max);
                    window.release(entries.size());
                    for (int k = 0; k < entries.size(); k++) {
                        done.countDown();
                    }
                });
            }
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (jobs - done.getCount()) + " of " + jobs + " sends answered");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " sends failed");
        }
        return last.get();
    }

    private static Map<String, MessageAttributeValue> roadRunner(String id) {
        return Map.of("rr_id", text(id), "rr_job", text(SqsScenario.JOB), "rr_delay", text("0"),
                "rr_headers", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromUtf8String("{}")).build(),
                "rr_priority", MessageAttributeValue.builder().dataType("Number").stringValue("10").build(),
                "rr_auto_ack", text("false"));
    }

    private static MessageAttributeValue text(String s) {
        return MessageAttributeValue.builder().dataType("String").stringValue(s).build();
    }

    /** A queue name no earlier run used. */
    static String queueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(25_000);
        deleter.join(2_000);
        workers.shutdownNow();
        senders.shutdownNow();
        try {
            client.deleteQueue(b -> b.queueUrl(url));
        } finally {
            client.close();
        }
    }
}
