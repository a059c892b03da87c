package org.osgijobs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with {@code openssl} (it must be on the path) in a folder of the test's: a CA, a
 * server certificate for 127.0.0.1 signed by it (its key in PKCS#8 PEM, and both in a PKCS#12 key store for the
 * proxy), a client certificate signed by it (its key in the traditional RSA PEM form, and the same key in PKCS#8),
 * and a second, unrelated CA. The files are made once per folder; a folder missing any of them is made again.
 */
public final class TlsFiles {
    /** The password of {@link #serverKeyStore()}. */
    public static final String KEY_STORE_PASSWORD = "changeit";

    private static final List<String> FILES = List.of("ca.pem", "server.pem", "server-key.pem", "server.p12",
            "client.pem", "client-key.pem", "client-key-pkcs8.pem", "other-ca.pem");

    private final Path dir;

    private TlsFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dir the folder, e.g. under the module's {@code target}; made when missing
     * @return the files, made with openssl unless the folder has them all already
     * @throws IOException when openssl fails (its output is in the message)
     */
    public static TlsFiles in(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TlsFiles files = new TlsFiles(dir);
        if (FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return files;
        }
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=osgijobs-test-ca",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server-key.pem",
                "-out", "server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
                StandardCharsets.US_ASCII);
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
        openssl(dir, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server-key.pem", "-out", "server.p12",
                "-passout", "pass:" + KEY_STORE_PASSWORD);
        openssl(dir, "genrsa", "-traditional", "-out", "client-key.pem", "2048");
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "client-key.pem", "-out", "client-key-pkcs8.pem");
        openssl(dir, "req", "-new", "-key", "client-key.pem", "-subj", "/CN=osgijobs-test-client", "-out",
                "client.csr");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "2", "-out", "client.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                "-keyout", "other-ca-key.pem", "-out", "other-ca.pem");
        return files;
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return the CA that signed the server and client certificates (PEM) */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** @return the server's certificate, for 127.0.0.1 and localhost (PEM) */
    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    /** @return the server's private key, PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) */
    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    /** @return the server's key and certificate as a PKCS#12 store, password {@link #KEY_STORE_PASSWORD} */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** @return the client's certificate (PEM) */
    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    /** @return the client's private key, traditional RSA PEM ({@code BEGIN RSA PRIVATE KEY}) */
    public Path clientKey() {
        return dir.resolve("client-key.pem");
    }

    /** @return the same client key as {@link #clientKey()}, PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) */
    public Path clientKeyPkcs8() {
        return dir.resolve("client-key-pkcs8.pem");
    }

    /** @return a CA that signed nothing here (PEM): a client trusting only it distrusts the server */
    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
