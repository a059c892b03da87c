package org.osgijobs.itests.amqp;

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
 * A loopback TCP proxy in front of the broker: the test cuts the runtime's connections through it, or refuses new
 * ones, as a network failure would, without touching other connections to the broker. A subclass may terminate
 * TLS on the accepted sockets.
 */
class CuttingProxy implements AutoCloseable {
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile int port;
    private volatile int accepted;

    CuttingProxy() throws IOException {
        listen(0);
    }

    int port() {
        return port;
    }

    int accepted() {
        return accepted;
    }

    /** Closes every connection through the proxy; new ones are accepted. */
    void cut() {
        sockets.forEach(CuttingProxy::closeQuietly);
        sockets.clear();
    }

    /** Cuts and stops listening: connecting is refused until {@link #up()}. */
    void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        cut();
    }

    void up() throws IOException {
        listen(port);
    }

    /** @return the socket to relay for an accepted client (TLS termination in a subclass) */
    protected Socket wrap(Socket client) throws IOException {
        return client;
    }

    private void listen(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        port = s.getLocalPort();
        server = s;
        daemon(() -> {
            while (!s.isClosed()) {
                try {
                    Socket raw = s.accept();
                    accepted++;
                    daemon(() -> relay(raw));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void relay(Socket raw) {
        Socket client;
        Socket upstream = new Socket();
        try {
            client = wrap(raw);
            upstream.connect(new InetSocketAddress(AmqpItestSupport.BROKER_HOST, AmqpItestSupport.BROKER_PORT),
                    5000);
        } catch (IOException e) {
            closeQuietly(raw);
            closeQuietly(upstream);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        daemon(() -> pump(upstream, client));
        pump(client, upstream);
    }

    private static void pump(Socket from, Socket to) {
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

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "itest-proxy");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
