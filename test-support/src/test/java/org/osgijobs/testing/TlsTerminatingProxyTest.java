package org.osgijobs.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.BeforeClass;
import org.junit.Test;

/** The TLS proxy in front of a loopback server that answers one byte, with the files of {@link TlsFiles}. */
public class TlsTerminatingProxyTest {
    private static TlsFiles files;

    @BeforeClass
    public static void certificates() throws Exception {
        files = TlsFiles.in(Path.of("target", "tls-test"));
    }

    @Test
    public void theFilesHaveTheKeyFormatsTheyPromise() throws Exception {
        assertTrue(Files.readString(files.clientKey()).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(files.clientKeyPkcs8()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(files.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("made once", Files.getLastModifiedTime(files.ca()),
                Files.getLastModifiedTime(TlsFiles.in(files.dir()).ca()));
    }

    @Test(timeout = 60_000)
    public void aClientWithTheCaAndItsCertificateGetsThrough() throws Exception {
        try (ServerSocket server = oneByteServer();
                TlsTerminatingProxy proxy = new TlsTerminatingProxy(files, server.getLocalPort());
                SSLSocket s = client(proxy, true)) {
            s.startHandshake();
            assertEquals(42, s.getInputStream().read());
            assertEquals(1, proxy.accepted());
        }
    }

    @Test(timeout = 60_000)
    public void aClientWithoutACertificateIsRefused() throws Exception {
        try (ServerSocket server = oneByteServer();
                TlsTerminatingProxy proxy = new TlsTerminatingProxy(files, server.getLocalPort());
                SSLSocket s = client(proxy, false)) {
            // TLS 1.3: the refusal may come with the handshake or with the first read
            assertThrows(IOException.class, () -> {
                s.startHandshake();
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
    }

    private static ServerSocket oneByteServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                } catch (IOException closed) {
                    // next
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static SSLSocket client(TcpProxy proxy, boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(files.ca())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            // the server's key store serves as a client key store: its certificate is signed by the same CA
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(files.serverKeyStore())) {
                keys.load(in, TlsFiles.KEY_STORE_PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TlsFiles.KEY_STORE_PASSWORD.toCharArray());
        }
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket("127.0.0.1", proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }
}
