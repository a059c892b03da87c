package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A TLS-terminating proxy in front of the broker's plain port that requires a client certificate of the CA. */
final class TlsProxy extends TcpProxy {

    private final SSLContext context;

    TlsProxy(TlsFiles files) throws IOException, GeneralSecurityException {
        super(Broker.PORT);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", PemFiles.privateKey("server", files.serverKey.toString()), new char[0],
                PemFiles.certificates("server", files.serverCert.toString()).toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.certificates("ca", files.ca.toString()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    @Override
    protected Socket accept(Socket client) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(),
                true);
        tls.setUseClientMode(false);
        tls.setNeedClientAuth(true);
        tls.startHandshake();
        return tls;
    }
}
