package org.osgijobs.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The beanstalkd baseline: the protocol spoken directly over sockets, doing what the driver does with the same
 * server. One producing connection puts into the tube with a window of puts in flight (a reader thread takes the
 * {@code INSERTED} answers); as many consuming connections as the runtime has workers each reserve a job, run the
 * job's {@link JobWork} and delete it, one job at a time. Bodies are the bare 100-byte payloads.
 */
final class RawBeanstalkBaseline implements AutoCloseable {
    private final String host;
    private final int port;
    private final String tube;
    private final Socket producer;
    private final OutputStream producerOut;
    private final InputStream producerIn;
    private final Semaphore window;
    private final int windowSize;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private volatile JobWork work = JobWork.NONE;
    private volatile boolean running = true;
    private volatile String failure;

    RawBeanstalkBaseline(String host, int port, String tube, int consumers, int windowSize) throws IOException {
        this.host = host;
        this.port = port;
        this.tube = tube;
        this.windowSize = windowSize;
        this.window = new Semaphore(windowSize);
        producer = connect();
        producerOut = new BufferedOutputStream(producer.getOutputStream(), 64 * 1024);
        producerIn = new BufferedInputStream(producer.getInputStream(), 64 * 1024);
        command(producerOut, producerIn, "use " + tube, "USING");
        start("bench-beanstalk-inserted", this::readInserted);
        for (int i = 0; i < consumers; i++) {
            Socket s = connect();
            start("bench-beanstalk-consumer-" + i, () -> consume(s));
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 2000);
        synchronized (sockets) {
            sockets.add(s);
        }
        return s;
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Sets what the next jobs do. */
    void use(JobWork next) {
        this.work = next;
    }

    /**
     * Puts one round, waiting for beanstalkd's answers; the consumers handle the jobs meanwhile.
     *
     * @return the {@link System#nanoTime()} of the last {@code INSERTED}
     */
    long publish(int jobs, long timeoutSeconds) throws IOException, InterruptedException {
        long target = answered.get() + jobs;
        for (int i = 0; i < jobs; i++) {
            byte[] body = Payloads.stampedNow(0);
            if (!window.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(windowSize + " puts stayed unanswered for " + timeoutSeconds + " s");
            }
            producerOut.write(("put 1 0 30 " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            producerOut.write(body);
            producerOut.write('\r');
            producerOut.write('\n');
            if (window.availablePermits() == 0 || i == jobs - 1) {
                producerOut.flush();
            }
        }
        producerOut.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (answered.get() < target) {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (jobs - (target - answered.get())) + " of " + jobs
                        + " puts answered within " + timeoutSeconds + " s");
            }
            Thread.sleep(1);
        }
        return lastAnswer.get();
    }

    private void readInserted() {
        try {
            while (running) {
                String line = line(producerIn);
                if (!line.startsWith("INSERTED ")) {
                    failure = "put answered " + line;
                    return;
                }
                lastAnswer.set(System.nanoTime());
                answered.incrementAndGet();
                window.release();
            }
        } catch (IOException e) {
            if (running) {
                failure = "producer connection: " + e;
            }
        }
    }

    private void consume(Socket s) {
        try {
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            command(out, in, "watch " + tube, "WATCHING");
            command(out, in, "ignore default", "WATCHING");
            while (running) {
                out.write("reserve-with-timeout 1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = line(in);
                if (line.equals("TIMED_OUT")) {
                    continue;
                }
                String[] words = line.split(" ");
                if (!words[0].equals("RESERVED")) {
                    failure = "reserve answered " + line;
                    return;
                }
                byte[] body = in.readNBytes(Integer.parseInt(words[2]));
                if (in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("a job's body ended early");
                }
                work.run(body, System.nanoTime());
                command(out, in, "delete " + words[1], "DELETED");
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                failure = "consumer connection: " + e;
            }
        }
    }

    private static void command(OutputStream out, InputStream in, String command, String expected)
            throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String line = line(in);
        if (!line.startsWith(expected)) {
            throw new IOException(command + " answered " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(24);
        for (int c; (c = in.read()) != '\r';) {
            if (c < 0) {
                throw new EOFException("closed by the server");
            }
            b.append((char) c);
        }
        in.read(); // '\n'
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        running = false;
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
