package org.osgijobs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a server (the broker), for fault tests: the test cuts the connections that go
 * through it, as a network failure would, or takes it down so that connecting is refused, without touching anyone
 * else's connections to the server. It counts the connections it accepted, so that a test can see a client
 * reconnect. A subclass may wrap the accepted sockets ({@link TlsTerminatingProxy}).
 * <p>
 * Every connection accepted before {@link #cut()} or {@link #down()} is closed by it, also one whose relay was still
 * being set up. Thread-safe; its threads are daemons.
 */
public class TcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final InetSocketAddress target;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object lock = new Object();
    // guarded by lock
    private ServerSocket server;
    private Thread acceptor;
    private int generation;
    private boolean closed;
    private volatile int port;

    /** One relayed connection: the accepted client and its upstream socket. */
    private record Relay(Socket client, Socket upstream) {
        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /**
     * Starts listening on a free loopback port.
     *
     * @param targetPort the server's port on the loopback address, e.g. {@link RabbitMqBroker#PORT}
     * @throws IOException when no port can be bound
     */
    public TcpProxy(int targetPort) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    }

    /**
     * Starts listening on a free loopback port.
     *
     * @param target the server to relay to
     * @throws IOException when no port can be bound
     */
    public TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        listen(0);
    }

    /** @return the loopback port to connect to; the same after {@link #down()} and {@link #up()} */
    public int port() {
        return port;
    }

    /** @return connections accepted so far, those cut or closed included */
    public int accepted() {
        return accepted.get();
    }

    /** @return connections relayed now */
    public int connections() {
        return relays.size();
    }

    /** Closes every connection through the proxy, as a network failure would; new ones are accepted. */
    public void cut() {
        List<Relay> cut;
        synchronized (lock) {
            generation++;
            cut = new ArrayList<>(relays);
            relays.removeAll(cut);
        }
        cut.forEach(Relay::close);
    }

    /** Cuts every connection and stops listening: connecting is refused until {@link #up()}. */
    public void down() throws IOException {
        ServerSocket s;
        Thread t;
        synchronized (lock) {
            s = server;
            t = acceptor;
            server = null;
            acceptor = null;
        }
        if (s != null) {
            s.close();
            // the JDK closes a listening socket only once the thread blocked in accept() has left it: until then a
            // connection could still be accepted (into the backlog) after down()
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cut();
    }

    /**
     * Listens again, on the same port. Does nothing when the proxy is up.
     *
     * @throws IOException when the port cannot be bound again
     * @throws IllegalStateException after {@link #close()}
     */
    public void up() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the proxy is closed");
            }
            if (server != null) {
                return;
            }
            listen(port);
        }
    }

    /**
     * Turns an accepted client socket into the one the proxy relays (in the connection's own thread).
     *
     * @param client the accepted socket
     * @return the socket to read from and write to: the same one here, a TLS socket over it in a subclass
     * @throws IOException when the client cannot be served (a failed TLS handshake): the connection is closed
     */
    protected Socket wrap(Socket client) throws IOException {
        return client;
    }

    /** Closes every connection and stops listening for good. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
        }
        down();
    }

    private void listen(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
        synchronized (lock) {
            port = s.getLocalPort();
            server = s;
            acceptor = daemon("tcp-proxy-" + port, () -> acceptLoop(s));
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket raw;
            int acceptedIn;
            try {
                raw = s.accept();
            } catch (IOException e) {
                return;
            }
            synchronized (lock) {
                acceptedIn = generation;
            }
            accepted.incrementAndGet();
            daemon("tcp-proxy-" + port + "-conn", () -> relay(raw, acceptedIn));
        }
    }

    private void relay(Socket raw, int acceptedIn) {
        Socket client;
        Socket upstream = new Socket();
        try {
            raw.setTcpNoDelay(true);
            client = wrap(raw);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(raw);
            closeQuietly(upstream);
            return;
        }
        Relay relay = new Relay(client, upstream);
        synchronized (lock) {
            if (acceptedIn != generation) {
                // cut (or taken down) while this relay was set up: it goes too
                relay.close();
                return;
            }
            relays.add(relay);
        }
        daemon("tcp-proxy-" + port + "-down", () -> pump(upstream, client, relay));
        pump(client, upstream, relay);
    }

    private void pump(Socket from, Socket to, Relay relay) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut, or the other side closed
        } finally {
            relay.close();
            relays.remove(relay);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
