package org.osgijobs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS in front of a plain port (the broker's): a {@link TcpProxy} that terminates TLS with the server certificate
 * of {@link TlsFiles} and requires a client certificate signed by its CA. A client that does not trust the CA, or
 * brings no certificate, fails the handshake and its connection is closed.
 */
public final class TlsTerminatingProxy extends TcpProxy {

    private volatile SSLContext context;

    /**
     * Starts listening on a free loopback port.
     *
     * @param files      the certificates
     * @param targetPort the plain port on the loopback address, e.g. {@link RabbitMqBroker#PORT}
     * @throws IOException              when the key store cannot be read or no port bound
     * @throws GeneralSecurityException when the key store or the CA is not usable
     */
    public TlsTerminatingProxy(TlsFiles files, int targetPort) throws IOException, GeneralSecurityException {
        super(targetPort);
        // nobody connects before this constructor returned the port
        context = context(files);
    }

    private static SSLContext context(TlsFiles files) throws IOException, GeneralSecurityException {
        char[] password = TlsFiles.KEY_STORE_PASSWORD.toCharArray();
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.serverKeyStore())) {
            server.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(files.ca())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    @Override
    protected Socket wrap(Socket client) throws IOException {
        SSLContext c = context;
        if (c == null) {
            throw new IOException("the TLS proxy is not ready yet");
        }
        SSLSocket tls = (SSLSocket) c.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(), true);
        tls.setUseClientMode(false);
        tls.setNeedClientAuth(true);
        tls.startHandshake();
        return tls;
    }
}
