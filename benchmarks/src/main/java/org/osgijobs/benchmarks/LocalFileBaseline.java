package org.osgijobs.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The disk's limit for a local pipeline's pushes: the same records as driver-local writes (a job serialized in its
 * layout, {@link #record}) appended to one file with a {@link FileChannel} and forced as the {@code sync} policy
 * says, by one commit thread, with the producer keeping the same window of pushes in flight; each record, once
 * written (and forced), goes to worker threads that run the same {@link JobWork}. No index, no acknowledgement
 * written, no recovery: the least a durable hand-off can do.
 * <p>
 * {@code always}: each record written and forced on its own ({@code force(false)}, fdatasync); {@code batch}: all
 * records waiting when the commit thread comes round written together and forced once (group commit); {@code none}:
 * written together, never forced.
 */
final class LocalFileBaseline implements AutoCloseable {

    /** When records are forced to disk: the driver's {@code sync} values. */
    enum Sync {
        ALWAYS, BATCH, NONE;

        String option() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One pushed job: its serialized record and its payload, for the worker. */
    private record Pending(byte[] record, byte[] payload) {
    }

    private final Path file;
    private final Sync sync;
    private final int window;
    private final Object lock = new Object();
    private final LinkedBlockingQueue<byte[]> ready = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Thread committer;
    private volatile JobWork work = JobWork.NONE;
    private volatile Semaphore room;
    private volatile FileChannel channel;
    private volatile boolean closed;
    // guarded by lock
    private List<Pending> waiting = new ArrayList<>();

    /**
     * @param file    the file appended to; created, and emptied at each {@link #startRound()}
     * @param sync    when records are forced
     * @param window  pushes in flight at most (written but not yet forced, or waiting to be)
     * @param workers threads running the jobs
     */
    LocalFileBaseline(Path file, Sync sync, int window, int workers) throws IOException {
        this.file = file;
        this.sync = sync;
        this.window = window;
        Files.createDirectories(file.toAbsolutePath().getParent());
        startRound();
        for (int i = 0; i < workers; i++) {
            Thread t = HandOffBaseline.daemon("baseline-local-worker-" + i).newThread(this::drain);
            threads.add(t);
            t.start();
        }
        committer = HandOffBaseline.daemon("baseline-local-commit").newThread(this::commitLoop);
        committer.start();
    }

    /** Sets what the next jobs do. */
    void use(JobWork next) {
        this.work = next;
    }

    /** Starts a round on an empty file, so that each round appends the same amount. */
    void startRound() throws IOException {
        if (channel != null) {
            channel.close();
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        room = new Semaphore(window);
    }

    /** @return the file's size now, in bytes */
    long fileSize() throws IOException {
        return Files.size(file);
    }

    /**
     * Pushes one job: waits for room in the window, then hands its record to the commit thread. Returns before the
     * record is written, as a push with {@code pushAsync} does.
     */
    void push(byte[] record, byte[] payload) throws InterruptedException {
        room.acquire();
        synchronized (lock) {
            waiting.add(new Pending(record, payload));
            lock.notifyAll();
        }
    }

    private void commitLoop() {
        try {
            while (!closed) {
                List<Pending> batch;
                synchronized (lock) {
                    while (waiting.isEmpty() && !closed) {
                        lock.wait();
                    }
                    batch = waiting;
                    waiting = new ArrayList<>();
                }
                if (sync == Sync.ALWAYS) {
                    for (Pending one : batch) {
                        write(List.of(one));
                        channel.force(false);
                        done(one);
                    }
                } else {
                    write(batch);
                    if (sync == Sync.BATCH) {
                        channel.force(false);
                    }
                    batch.forEach(this::done);
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException("baseline file " + file + " failed", e);
            }
        }
    }

    private void write(List<Pending> batch) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(batch.get(i).record);
            total += buffers[i].remaining();
        }
        long written = 0;
        while (written < total) {
            // a gathering write of at most IOV_MAX buffers at a time is the channel's business
            written += channel.write(buffers);
        }
    }

    private void done(Pending one) {
        room.release();
        ready.add(one.payload);
    }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] payload = ready.take();
                work.run(payload, System.nanoTime());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * A job as driver-local's {@code JobRecord} serializes it (format 1): format byte, effective priority, due time,
     * message priority, auto-ack, id, name, pipeline, headers, payload; strings and the payload with an int length.
     */
    static byte[] record(long priority, long messagePriority, String id, String name, String pipeline,
            byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(priority);
            out.writeLong(0);
            out.writeLong(messagePriority);
            out.writeBoolean(false);
            writeString(out, id);
            writeString(out, name);
            writeString(out, pipeline);
            out.writeInt(0); // no headers
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        committer.interrupt();
        threads.forEach(Thread::interrupt);
        try {
            committer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
