package org.osgijobs.driver.sqs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Receives the pipeline's messages and settles them. One poller thread long-polls with {@code wait_time_seconds},
 * asking for at most {@code prefetch} (≤ 10) messages and never holding more than {@code max_messages_in_flight}
 * unsettled; each message becomes an {@link SqsJob} in the runtime's queue. While a message is held (waiting in the
 * runtime's queue or running) its visibility is extended before it runs out, so a long job is not delivered twice.
 * A delayed message received before it is due waits again in SQS (see {@link #postpone}).
 */
final class Consumption {
    private static final Logger LOG = LoggerFactory.getLogger(Consumption.class);

    /** Sends a copy of a job (a requeue, or the next hop of a long delay). */
    interface Host {
        CompletableFuture<Void> resend(SqsJob job, Map<String, List<String>> headers, int delay);

        CompletableFuture<Void> hop(Message message, int delaySeconds);
    }

    /** Receives are retried after 1, 2, 4 s, then every 5 s: a returning server is used again within seconds. */
    static final long MAX_BACKOFF_MILLIS = 5_000;
    static final long IDLE_MILLIS = 500;
    /** How long a receive waits for more free places in {@code max_messages_in_flight} before asking for fewer. */
    static final long FILL_MILLIS = 20;

    private final String pipeline;
    private final PipelineOptions options;
    private final SqsClient client;
    private final Supplier<String> queueUrl;
    private final Queue queue;
    private final Host host;
    private final Deleter deleter;
    private final Semaphore permits;
    private final Set<SqsJob> held = ConcurrentHashMap.newKeySet();
    private final Object pollerLock = new Object();
    private volatile int visibilitySeconds = 30;
    private volatile int generation;
    private volatile Thread poller;
    private volatile boolean inserting;
    private volatile boolean stopped;
    private volatile String error;

    Consumption(PipelineOptions options, SqsClient client, Supplier<String> queueUrl, Queue queue, Host host) {
        this.pipeline = options.pipeline;
        this.options = options;
        this.client = client;
        this.queueUrl = queueUrl;
        this.queue = queue;
        this.host = host;
        this.deleter = new Deleter(pipeline, client, queueUrl);
        this.permits = new Semaphore(options.maxMessagesInFlight);
    }

    /** @param seconds the visibility a received message gets: the option, else the queue's own */
    void visibility(int seconds) {
        visibilitySeconds = Math.max(1, seconds);
    }

    int visibilitySeconds() {
        return visibilitySeconds;
    }

    /** Starts the poller (again); an older one ends by itself and gives back what it still receives. */
    void start() {
        synchronized (pollerLock) {
            if (poller != null || stopped) {
                return;
            }
            int g = ++generation;
            Thread t = new NamedThreads("sqs-" + pipeline + "-poll").newThread(() -> poll(g));
            poller = t;
            t.start();
        }
    }

    /** Stops the poller and gives the jobs no worker took back to SQS. */
    void halt() {
        Thread t;
        synchronized (pollerLock) {
            generation++;
            t = poller;
            poller = null;
        }
        if (t != null && inserting) {
            t.interrupt(); // only while it waits for room in the runtime's queue, never during an HTTP call
        }
        List<SqsJob> back = new ArrayList<>();
        for (Job j : queue.withdraw()) {
            if (j instanceof SqsJob && ((SqsJob) j).owner == this && ((SqsJob) j).markSettled()) {
                back.add((SqsJob) j);
            }
        }
        release(back);
    }

    boolean polling() {
        return poller != null;
    }

    String error() {
        return error;
    }

    /** @return messages held and taken by a worker */
    long running() {
        return held.stream().filter(SqsJob::isTaken).count();
    }

    /** Stops for good: no poller, pending deletes sent (up to the deadline). */
    void close(long deadlineNanos) {
        stopped = true;
        halt();
        deleter.close(deadlineNanos);
    }

    // ---- receiving ------------------------------------------------------------------------------------------------

    private void poll(int g) {
        long backoff = 0;
        while (g == generation) {
            try {
                if (!permits.tryAcquire(500, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                continue;
            }
            // ask for a full receive when places are about to free up (settled jobs' deletes in flight), rather
            // than for one message at a time
            int n = 1;
            long fill = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FILL_MILLIS);
            try {
                while (n < options.prefetch && permits.tryAcquire(Math.max(0, fill - System.nanoTime()),
                        TimeUnit.NANOSECONDS)) {
                    n++;
                }
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
            List<Message> got;
            try {
                got = receive(n);
                error = null;
                backoff = 0;
            } catch (RuntimeException e) {
                permits.release(n);
                backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                String text = "pipeline '" + pipeline + "': cannot receive from queue '" + options.queue + "': "
                        + ConnectionSettings.mask(String.valueOf(e.getMessage())) + " (next try in " + backoff
                        + " ms)";
                if (error == null) {
                    LOG.warn(text);
                }
                error = text;
                pause(g, backoff);
                continue;
            }
            permits.release(n - got.size());
            for (int i = 0; i < got.size(); i++) {
                Message m = got.get(i);
                if (g != generation) {
                    giveBack(m);
                    permits.release();
                    continue;
                }
                boolean held;
                try {
                    held = accept(m, g);
                } catch (RuntimeException e) {
                    // never lose the poller to one message: it comes back after its visibility timeout
                    LOG.error("pipeline '{}': message {} could not be taken in", pipeline, m.messageId(), e);
                    held = false;
                }
                if (!held) {
                    permits.release();
                }
            }
            if (got.isEmpty() && options.waitTimeSeconds == 0) {
                pause(g, IDLE_MILLIS); // short polling: do not spin on an empty queue
            }
        }
    }

    private List<Message> receive(int n) {
        ReceiveMessageRequest.Builder r = ReceiveMessageRequest.builder().queueUrl(queueUrl.get())
                .maxNumberOfMessages(n).waitTimeSeconds(options.waitTimeSeconds)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(options.waitTimeSeconds
                        + options.timeoutSeconds)));
        if (options.visibilityTimeout > 0) {
            r.visibilityTimeout(options.visibilityTimeout);
        }
        return client.receiveMessage(r.build()).messages();
    }

    /** @return {@code true} when the message is held (its permit with it) */
    private boolean accept(Message m, int g) {
        long now = System.currentTimeMillis();
        WireFormat.Decoded d = WireFormat.decode(m, options.priority, pipeline);
        if (d.due() > now + 500) {
            postpone(m, d.due() - now);
            return false;
        }
        SqsJob job = new SqsJob(d, pipeline, m, now + visibilitySeconds * 1000L, this);
        held.add(job);
        try {
            inserting = true;
            if (g != generation) {
                throw new InterruptedException();
            }
            queue.insert(job);
            return true;
        } catch (InterruptedException e) {
            held.remove(job);
            giveBack(m);
            return false;
        } finally {
            inserting = false;
            Thread.interrupted();
        }
    }

    /**
     * A message delayed past what one send can give, received before it is due. On a standard queue a copy is sent
     * with the rest of the delay (at most {@code max_delay_step} seconds per hop) and this one deleted once the copy
     * is stored; on a FIFO queue, which takes no per-message delay, the message is hidden until it is due (at most 12
     * hours per receive). Either way it stays in SQS the whole time.
     */
    private void postpone(Message m, long remainingMillis) {
        int seconds = (int) Math.min(Integer.MAX_VALUE, (remainingMillis + 999) / 1000);
        if (options.fifo) {
            changeVisibility(m.receiptHandle(), Math.min(seconds, PipelineOptions.SQS_MAX_VISIBILITY - 60));
            return;
        }
        host.hop(m, Math.min(seconds, options.maxDelayStep)).whenComplete((ok, e) -> {
            if (e == null) {
                if (!deleter.delete(m.receiptHandle(), () -> { })) {
                    deleteNow(m.receiptHandle());
                }
            } else {
                LOG.info("pipeline '{}': a delayed message waits again in SQS after its visibility timeout ({})",
                        pipeline, e.getMessage());
            }
        });
    }

    private void pause(int g, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (g == generation && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, millis));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ---- settling -------------------------------------------------------------------------------------------------

    Custody ack(SqsJob job) {
        return delete(job);
    }

    Custody reject(SqsJob job) {
        if (!options.retainFailedJobs) {
            return delete(job);
        }
        held.remove(job);
        try {
            if (options.errorVisibilityTimeout > 0) {
                changeVisibility(job.receipt, options.errorVisibilityTimeout);
            }
        } finally {
            permits.release();
        }
        return Custody.BROKER;
    }

    Custody requeue(SqsJob job, Map<String, List<String>> headers, int delay) {
        try {
            host.resend(job, headers, delay).get(options.timeoutSeconds + 1L, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("pipeline '{}': {} could not be requeued ({}); SQS delivers the original again", pipeline, job,
                    cause.getMessage());
            release(List.of(job));
            return Custody.BROKER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(List.of(job));
            return Custody.BROKER;
        }
        delete(job);
        return Custody.DRIVER;
    }

    private Custody delete(SqsJob job) {
        held.remove(job);
        if (deleter.delete(job.receipt, permits::release)) {
            return Custody.DONE;
        }
        try {
            return deleteNow(job.receipt) ? Custody.DONE : Custody.BROKER;
        } finally {
            permits.release();
        }
    }

    private boolean deleteNow(String receipt) {
        try {
            client.deleteMessage(b -> b.queueUrl(queueUrl.get()).receiptHandle(receipt));
            return true;
        } catch (RuntimeException e) {
            LOG.info("pipeline '{}': a delete failed after stop ({}); the message comes back after its visibility"
                    + " timeout", pipeline, ConnectionSettings.mask(String.valueOf(e.getMessage())));
            return false;
        }
    }

    /** Makes messages visible again at once (pause, stop, a failed requeue): SQS delivers them again. */
    private void release(List<SqsJob> jobs) {
        for (SqsJob j : jobs) {
            held.remove(j);
        }
        List<String> receipts = jobs.stream().map(j -> j.receipt).toList();
        try {
            changeVisibility(receipts, 0);
        } finally {
            permits.release(jobs.size());
        }
    }

    private void giveBack(Message m) {
        changeVisibility(List.of(m.receiptHandle()), 0);
    }

    // ---- visibility -----------------------------------------------------------------------------------------------

    /**
     * Extends the visibility of every held message that has less than half of it left, by the full visibility
     * timeout: run every {@link #extendPeriodMillis()} by the driver's timer.
     */
    void extendVisibility() {
        long now = System.currentTimeMillis();
        long margin = Math.max(700, visibilitySeconds * 500L);
        List<SqsJob> due = new ArrayList<>();
        for (SqsJob j : held) {
            if (j.visibleUntil - now < margin) {
                due.add(j);
            }
        }
        for (int i = 0; i < due.size(); i += 10) {
            List<SqsJob> part = due.subList(i, Math.min(due.size(), i + 10));
            int seconds = visibilitySeconds;
            long until = System.currentTimeMillis() + seconds * 1000L;
            if (changeVisibility(part.stream().map(j -> j.receipt).toList(), seconds)) {
                part.forEach(j -> j.visibleUntil = until);
            }
        }
    }

    long extendPeriodMillis() {
        return Math.max(100, Math.min(5000, visibilitySeconds * 200L));
    }

    private boolean changeVisibility(String receipt, int seconds) {
        return changeVisibility(List.of(receipt), seconds);
    }

    private boolean changeVisibility(List<String> receipts, int seconds) {
        boolean all = true;
        for (int i = 0; i < receipts.size(); i += 10) {
            List<String> part = receipts.subList(i, Math.min(receipts.size(), i + 10));
            try {
                if (part.size() == 1) {
                    client.changeMessageVisibility(b -> b.queueUrl(queueUrl.get()).receiptHandle(part.get(0))
                            .visibilityTimeout(seconds));
                } else {
                    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                    for (int k = 0; k < part.size(); k++) {
                        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(k))
                                .receiptHandle(part.get(k)).visibilityTimeout(seconds).build());
                    }
                    all &= client.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl.get()).entries(entries))
                            .failed().isEmpty();
                }
            } catch (RuntimeException e) {
                all = false;
                LOG.debug("pipeline '{}': ChangeMessageVisibility({}) failed: {}", pipeline, seconds, e.toString());
            }
        }
        return all;
    }
}
