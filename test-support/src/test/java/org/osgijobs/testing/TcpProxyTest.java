package org.osgijobs.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The proxy in front of a loopback echo server. */
public class TcpProxyTest {
    private ServerSocket echo;

    @Before
    public void echoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException closed) {
                            // the client went
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @After
    public void closeEcho() throws IOException {
        echo.close();
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        s.getOutputStream().flush();
        byte[] back = s.getInputStream().readNBytes(text.length());
        return new String(back);
    }

    @Test(timeout = 30_000)
    public void relaysCutsAndGoesDownAndUpOnTheSamePort() throws Exception {
        try (TcpProxy proxy = new TcpProxy(echo.getLocalPort())) {
            int port = proxy.port();
            try (Socket a = connect(proxy); Socket b = connect(proxy)) {
                assertEquals("hello", roundTrip(a, "hello"));
                assertEquals("world", roundTrip(b, "world"));
                assertEquals(2, proxy.accepted());
                assertTrue(Poll.eventually(() -> proxy.connections() == 2, 5));

                proxy.cut();
                assertEquals("a cut connection reads its end", -1, a.getInputStream().read());
                assertEquals(-1, b.getInputStream().read());
                assertTrue(Poll.eventually(() -> proxy.connections() == 0, 5));
            }
            try (Socket c = connect(proxy)) {
                assertEquals("new connections are relayed after a cut", "again", roundTrip(c, "again"));
                proxy.down();
                assertEquals(-1, c.getInputStream().read());
            }
            assertThrows(ConnectException.class, () -> connect(proxy));
            proxy.up();
            assertEquals(port, proxy.port());
            try (Socket d = connect(proxy)) {
                assertEquals("up", roundTrip(d, "up"));
            }
            assertEquals(4, proxy.accepted());
        }
    }

    @Test(timeout = 30_000)
    public void aClosedProxyStaysDown() throws Exception {
        TcpProxy proxy = new TcpProxy(echo.getLocalPort());
        proxy.close();
        assertThrows(IllegalStateException.class, proxy::up);
        assertThrows(ConnectException.class, () -> connect(proxy));
    }

    @Test(timeout = 30_000)
    public void aConnectionToADeadServerIsClosed() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (TcpProxy proxy = new TcpProxy(deadPort); Socket s = connect(proxy)) {
            assertEquals(-1, s.getInputStream().read());
            assertEquals(0, proxy.connections());
        }
    }
}
