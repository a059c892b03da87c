package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.Assume;
import org.junit.Test;

/** The client-side count of connections to a port, from /proc. */
public class TcpConnectionsTest {

    @Test
    public void countsThisProcesssEstablishedConnectionsToAPort() throws Exception {
        Assume.assumeTrue("Linux /proc", java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/net/tcp")));
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            assertEquals(0, TcpConnections.to(port));
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket acceptedA = server.accept();
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket acceptedB = server.accept()) {
                // the accepted ends are this process's too, but their remote port is the clients', not this one
                assertEquals(2, TcpConnections.to(port));
            }
        }
    }
}
