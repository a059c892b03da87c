package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of the broker, so that a test can cut a driver's connections (as a network
 * failure would) or refuse new ones, without touching anyone else's connections to the broker. A subclass may
 * wrap the accepted sockets (TLS termination).
 */
class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile int port;
    private volatile int accepted;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        open(0);
    }

    /** @return the port to connect to */
    int port() {
        return port;
    }

    /** @return connections accepted so far */
    int accepted() {
        return accepted;
    }

    /** Closes every connection through the proxy; the proxy keeps accepting new ones. */
    void cut() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Closes every connection and stops listening: connecting is refused until {@link #resume()}. */
    void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        cut();
    }

    /** Listens again on the same port. */
    void resume() throws IOException {
        open(port);
    }

    /** Turns an accepted client socket into the stream the proxy reads and writes (TLS in a subclass). */
    protected Socket accept(Socket client) throws IOException {
        return client;
    }

    private void open(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        port = s.getLocalPort();
        server = s;
        Thread t = new Thread(() -> acceptLoop(s), "tcp-proxy-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket raw = s.accept();
                accepted++;
                Thread t = new Thread(() -> serve(raw), "tcp-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket raw) {
        Socket client;
        try {
            client = accept(raw);
        } catch (IOException e) {
            closeQuietly(raw);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        Thread back = new Thread(() -> pump(upstream, client), "tcp-proxy-down");
        back.setDaemon(true);
        back.start();
        pump(client, upstream);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
