package org.osgijobs.driver.beanstalk.internal;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection to beanstalkd speaking its text protocol. Commands are pipelined: {@link #send} writes a command and
 * returns the future of its reply, which a reader thread of the connection's own completes in the order the server
 * answers (the order of the commands). Any thread may send; a {@code reserve} occupies the connection on the server
 * side until it returns, so the commands sent behind it wait for it.
 * <p>
 * When the connection breaks (or {@link #close()} is called) every pending reply fails with an {@link IOException}
 * and the connection stays closed: reconnecting is its owner's business.
 */
final class BeanstalkConnection implements AutoCloseable {

    /** A reply: its first word, its arguments, and the data block of {@code RESERVED}, {@code FOUND} and {@code OK}. */
    record Reply(String status, String[] args, byte[] data) {
        long id() throws ProtocolException {
            try {
                return Long.parseUnsignedLong(args[0]);
            } catch (RuntimeException e) {
                throw new ProtocolException(status, "a reply without a job id: " + this);
            }
        }

        @Override
        public String toString() {
            return args.length == 0 ? status : status + " " + String.join(" ", args);
        }
    }

    /** A reply the command does not allow (beanstalkd's error words included). */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;
        final String status;

        ProtocolException(String status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The connection broke after the command was sent: the server may have carried it out. */
    static final class AnswerLost extends IOException {
        private static final long serialVersionUID = 1L;

        AnswerLost(IOException cause) {
            super(cause.getMessage() + " (before the answer came)", cause);
        }
    }

    /** A reserved job: its id and body. */
    record Reserved(long id, byte[] body) {
    }

    private static final byte[] CRLF = { '\r', '\n' };
    /** beanstalkd's longest reply line is far shorter; a longer one means the stream is out of step. */
    private static final int MAX_LINE = 1024;

    private final String address;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ArrayDeque<CompletableFuture<Reply>> pending = new ArrayDeque<>();
    /** When each pending command was sent (System.nanoTime()), in the same order. */
    private final java.util.ArrayDeque<Long> sentAt = new java.util.ArrayDeque<>();
    private final Object writeLock = new Object();
    private volatile IOException closed;
    /** Flushes what {@link #sendSoon} buffered; {@code null}: every command is flushed at once. */
    private final java.util.concurrent.Executor flusher;
    /** Whether a thread of the connection's own reads the replies (else the one user thread does, in await). */
    private final boolean readerThread;
    private final java.util.concurrent.atomic.AtomicBoolean flushScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();

    private BeanstalkConnection(String address, Socket socket, java.util.concurrent.Executor flusher,
            boolean readerThread) throws IOException {
        this.address = address;
        this.readerThread = readerThread;
        this.flusher = flusher;
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = socket.getInputStream();
    }

    /**
     * Connects and starts the reader thread.
     *
     * @param host          the server's host
     * @param port          its port
     * @param connectMillis how long connecting may take
     * @param name          the reader thread's name
     * @return the open connection
     * @throws IOException when the server cannot be reached
     */
    static BeanstalkConnection open(String host, int port, int connectMillis, String name) throws IOException {
        return open(host, port, connectMillis, name, null);
    }

    /**
     * Opens a connection that one thread uses alone, sending and then awaiting each reply, which it reads itself
     * (no reader thread: a reply is not handed from thread to thread). Futures of its replies complete only in
     * {@link #await}.
     */
    static BeanstalkConnection openForOneThread(String host, int port, int connectMillis) throws IOException {
        return connect(host, port, connectMillis, null, false);
    }

    /**
     * @param flusher flushes the commands of {@link #sendSoon}, or {@code null}
     * @see #open(String, int, int, String)
     */
    static BeanstalkConnection open(String host, int port, int connectMillis, String name,
            java.util.concurrent.Executor flusher) throws IOException {
        BeanstalkConnection c = connect(host, port, connectMillis, flusher, true);
        Thread reader = new Thread(c::readReplies, name);
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    private static BeanstalkConnection connect(String host, int port, int connectMillis,
            java.util.concurrent.Executor flusher, boolean readerThread) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), connectMillis);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to beanstalkd at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new BeanstalkConnection(host + ":" + port, socket, flusher, readerThread);
    }

    /** @return whether the connection is still open */
    boolean isOpen() {
        return closed == null;
    }

    /** @return host:port of the server */
    String address() {
        return address;
    }

    /**
     * Sends a command.
     *
     * @param command the command line, without CRLF
     * @param data    the data block of {@code put}, or {@code null}
     * @return the reply, failing with an {@link IOException} when the connection breaks first
     */
    CompletableFuture<Reply> send(String command, byte[] data) {
        return send(command, data, true);
    }

    /**
     * Sends a command whose bytes may wait in the buffer for the next flush, which the connection's flusher does
     * soon after (commands sent meanwhile share it: one write to the socket for many puts).
     */
    CompletableFuture<Reply> sendSoon(String command, byte[] data) {
        if (flusher == null) {
            return send(command, data, true);
        }
        CompletableFuture<Reply> reply = send(command, data, false);
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                flusher.execute(this::flushNow);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushNow();
            }
        }
        return reply;
    }

    private void flushNow() {
        flushScheduled.set(false); // a command written after this point schedules a flush of its own
        synchronized (writeLock) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(new IOException("connection to beanstalkd at " + address + " lost: " + e.getMessage(), e));
            }
        }
    }

    private CompletableFuture<Reply> send(String command, byte[] data, boolean flush) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        synchronized (writeLock) {
            synchronized (pending) {
                // checked under the lock that fail() sets it under: no reply is added after the last drain
                if (closed != null) {
                    reply.completeExceptionally(closed);
                    return reply;
                }
                pending.add(reply);
                sentAt.add(System.nanoTime());
            }
            try {
                out.write(command.getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                if (data != null) {
                    out.write(data);
                    out.write(CRLF);
                }
                if (flush) {
                    out.flush();
                }
            } catch (IOException e) {
                fail(new IOException("connection to beanstalkd at " + address + " lost: " + e.getMessage(), e));
            }
        }
        return reply;
    }

    // ---- the commands this driver uses, waiting for the reply ---------------------------------------------------

    void use(String tube, long timeoutMillis) throws IOException {
        expect(await(send("use " + tube, null), timeoutMillis), "USING");
    }

    void watchOnly(String tube, long timeoutMillis) throws IOException {
        expect(await(send("watch " + tube, null), timeoutMillis), "WATCHING");
        if (!tube.equals("default")) {
            expect(await(send("ignore default", null), timeoutMillis), "WATCHING");
        }
    }

    /** @return the future of the new job's id; fails with a {@link ProtocolException} unless {@code INSERTED} */
    CompletableFuture<Long> put(long priority, long delay, long ttr, byte[] body) {
        return sendSoon("put " + priority + " " + delay + " " + ttr + " " + body.length, body).thenApply(r -> {
            if (!r.status().equals("INSERTED")) {
                throw new java.util.concurrent.CompletionException(new ProtocolException(r.status(),
                        "beanstalkd did not store the job: " + r));
            }
            try {
                return r.id();
            } catch (ProtocolException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * @return a reserved job, {@code null} when none came within the time ({@code TIMED_OUT}); a
     *         {@link ProtocolException} with status {@code DEADLINE_SOON} when a job this connection holds is about
     *         to time out
     */
    Reserved reserve(int timeoutSeconds, long waitMillis) throws IOException {
        Reply r = await(send("reserve-with-timeout " + timeoutSeconds, null), waitMillis);
        switch (r.status()) {
        case "RESERVED":
            return new Reserved(r.id(), r.data());
        case "TIMED_OUT":
            return null;
        default:
            throw new ProtocolException(r.status(), "reserve answered " + r);
        }
    }

    /** @return {@code false} when the server does not know the job as this connection's ({@code NOT_FOUND}) */
    static boolean found(Reply r, String expected) throws ProtocolException {
        if (r.status().equals(expected)) {
            return true;
        }
        if (r.status().equals("NOT_FOUND")) {
            return false;
        }
        throw new ProtocolException(r.status(), "expected " + expected + ", got " + r);
    }

    /** @return the tube's statistics; empty when the tube does not exist (no job and no client uses it) */
    Map<String, String> statsTube(String tube, long timeoutMillis) throws IOException {
        Reply r = await(send("stats-tube " + tube, null), timeoutMillis);
        if (r.status().equals("NOT_FOUND")) {
            return Map.of();
        }
        expect(r, "OK");
        return yaml(r.data());
    }

    /** @return the job's statistics; empty when the job does not exist */
    Map<String, String> statsJob(long id, long timeoutMillis) throws IOException {
        Reply r = await(send("stats-job " + id, null), timeoutMillis);
        if (r.status().equals("NOT_FOUND")) {
            return Map.of();
        }
        expect(r, "OK");
        return yaml(r.data());
    }

    /**
     * Waits for a reply. A reply that does not come in time leaves the protocol out of step: the connection is
     * closed.
     */
    Reply await(CompletableFuture<Reply> reply, long timeoutMillis) throws IOException {
        if (!readerThread) {
            readUntil(reply, timeoutMillis);
        }
        try {
            return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause()
                    : new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            IOException late = new IOException("beanstalkd at " + address + " did not answer within "
                    + timeoutMillis + " ms");
            fail(late);
            throw late;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for beanstalkd at " + address);
        }
    }

    /**
     * @param nanos how long an answer may take
     * @return whether the oldest command still unanswered was sent longer ago than that (for a connection that sends
     *         no waiting {@code reserve}: one sweep replaces a timer per command)
     */
    boolean overdue(long nanos) {
        Long oldest;
        synchronized (pending) {
            oldest = sentAt.peek();
        }
        return oldest != null && System.nanoTime() - oldest > nanos;
    }

    /** Fails every pending reply and closes the connection, saying why. */
    void abandon(String why) {
        fail(new IOException("connection to beanstalkd at " + address + " abandoned: " + why));
    }

    /**
     * Without a reader thread, the one thread that uses the connection reads the replies itself: no hand-over
     * between threads for each answer.
     */
    private void readUntil(CompletableFuture<Reply> reply, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (!reply.isDone()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException();
                }
                if (position == limit) {
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                }
                if (!readOne()) {
                    return;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            IOException late = new IOException("beanstalkd at " + address + " did not answer within "
                    + timeoutMillis + " ms");
            fail(late);
            throw late;
        } catch (IOException | RuntimeException e) {
            lostWhileReading(e);
        }
    }

    private static void expect(Reply r, String status) throws ProtocolException {
        if (!r.status().equals(status)) {
            throw new ProtocolException(r.status(), "expected " + status + ", got " + r);
        }
    }

    /** The flat "key: value" YAML of the stats commands. */
    private static Map<String, String> yaml(byte[] data) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.startsWith("---")) {
                String value = line.substring(colon + 2).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                map.put(line.substring(0, colon).trim(), value);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public void close() {
        fail(new IOException("connection to beanstalkd at " + address + " closed"));
    }

    // ---- the reader thread -------------------------------------------------------------------------------------

    private void readReplies() {
        try {
            while (closed == null) {
                if (!readOne()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            lostWhileReading(e);
        }
    }

    private void lostWhileReading(Exception e) {
        fail(e instanceof IOException && closed == null
                ? new IOException("connection to beanstalkd at " + address + " lost: " + e.getMessage(), e)
                : new IOException("connection to beanstalkd at " + address + " lost: " + e, e));
    }

    /** Reads one reply and completes the oldest pending command with it; {@code false} when closed meanwhile. */
    private boolean readOne() throws IOException {
        {
            {
                String line = readLine();
                String[] words = line.split(" ");
                String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
                byte[] data = null;
                String status = words[0];
                if (status.equals("RESERVED") || status.equals("FOUND") || status.equals("OK")) {
                    data = readData(args[args.length - 1]);
                }
                CompletableFuture<Reply> next;
                synchronized (pending) {
                    if (closed != null) {
                        return false; // closed meanwhile: every pending reply fails, none completes after close()
                    }
                    next = pending.poll();
                    sentAt.poll();
                }
                if (next == null) {
                    throw new IOException("beanstalkd at " + address + " sent '" + line + "' to no command");
                }
                next.complete(new Reply(status, args, data));
                return true;
            }
        }
    }

    // the reader thread's own buffer: BufferedInputStream would take a lock for every byte
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    private void fill() throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
        }
        if (limit == buffer.length) { // a partial line or block at the end: move it to the front
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            throw new EOFException("closed by the server");
        }
        limit += n;
    }

    private String readLine() throws IOException {
        int scanned = position;
        while (true) {
            for (; scanned < limit; scanned++) {
                if (buffer[scanned] == '\r') {
                    if (scanned + 1 >= limit) {
                        break; // the '\n' is still to come
                    }
                    if (buffer[scanned + 1] != '\n') {
                        throw new IOException("a reply line not ended by CRLF");
                    }
                    String line = new String(buffer, position, scanned - position, StandardCharsets.US_ASCII);
                    position = scanned + 2;
                    return line;
                }
                if (scanned - position >= MAX_LINE) {
                    throw new IOException("a reply line longer than " + MAX_LINE + " bytes");
                }
            }
            int offset = scanned - position;
            fill();
            scanned = position + offset;
        }
    }

    private byte[] readData(String length) throws IOException {
        int n;
        try {
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            throw new IOException("a data length that is not a number: " + length);
        }
        if (n < 0) {
            throw new IOException("a negative data length: " + length);
        }
        byte[] data = new byte[n];
        int copied = 0;
        while (copied < n) {
            if (position == limit) {
                fill();
            }
            int chunk = Math.min(n - copied, limit - position);
            System.arraycopy(buffer, position, data, copied, chunk);
            position += chunk;
            copied += chunk;
        }
        while (limit - position < 2) {
            fill();
        }
        if (buffer[position] != '\r' || buffer[position + 1] != '\n') {
            throw new IOException("a data block not ended by CRLF");
        }
        position += 2;
        return data;
    }

    private void fail(IOException cause) {
        synchronized (pending) {
            if (closed == null) {
                closed = cause;
            }
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        while (true) {
            CompletableFuture<Reply> next;
            synchronized (pending) {
                next = pending.poll();
                sentAt.poll();
            }
            if (next == null) {
                return;
            }
            next.completeExceptionally(new AnswerLost(closed));
        }
    }
}
