package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with openssl: a CA, a server certificate for 127.0.0.1 and a client certificate
 * signed by it, and a second, unrelated CA. The client key is in the traditional RSA form, the server key in
 * PKCS#8, so that both key formats are read.
 */
final class TlsFiles {
    final Path dir;
    final Path ca;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;
    final Path otherCa;

    private TlsFiles(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.clientCert = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client-key.pem");
        this.otherCa = dir.resolve("other-ca.pem");
    }

    static TlsFiles create() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("amqp.test.work", "target/amqp-test"), "tls");
        Files.createDirectories(dir);
        TlsFiles f = new TlsFiles(dir);
        if (Files.exists(f.otherCa)) {
            return f;
        }
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server-key.pem",
                "-out", "server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
        openssl(dir, "genrsa", "-traditional", "-out", "client-key.pem", "2048");
        openssl(dir, "req", "-new", "-key", "client-key.pem", "-subj", "/CN=osgijobs-client", "-out", "client.csr");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "2", "-out", "client.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                "-keyout", "other-ca-key.pem", "-out", "other-ca.pem");
        return f;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
