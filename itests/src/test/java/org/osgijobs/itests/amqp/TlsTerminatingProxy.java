package org.osgijobs.itests.amqp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS in front of the broker's plain port, with certificates made by openssl at test time: a CA, a server
 * certificate for 127.0.0.1, a client certificate the proxy requires, and an unrelated CA.
 */
final class TlsTerminatingProxy extends CuttingProxy {
    final Path ca;
    final Path otherCa;
    final Path clientCert;
    final Path clientKey;
    private final SSLContext context;

    private TlsTerminatingProxy(Path dir) throws IOException, GeneralSecurityException {
        ca = dir.resolve("ca.pem");
        otherCa = dir.resolve("other-ca.pem");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client-key.pem");
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            server.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server, "changeit".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    static TlsTerminatingProxy start() throws Exception {
        Path dir = Path.of(System.getProperty("itest.work.dir", "target/felix"), "amqp-tls");
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("server.p12"))) {
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=itest-ca",
                    "-keyout", "ca-key.pem", "-out", "ca.pem");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
                    "server-key.pem", "-out", "server.csr");
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                    "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=itest-client", "-keyout",
                    "client-key.pem", "-out", "client.csr");
            openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                    "-CAcreateserial", "-days", "2", "-out", "client.pem");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                    "-keyout", "other-ca-key.pem", "-out", "other-ca.pem");
            openssl(dir, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server-key.pem", "-out",
                    "server.p12", "-passout", "pass:changeit");
        }
        return new TlsTerminatingProxy(dir);
    }

    @Override
    protected Socket wrap(Socket client) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(),
                true);
        tls.setUseClientMode(false);
        tls.setNeedClientAuth(true);
        tls.startHandshake();
        return tls;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
