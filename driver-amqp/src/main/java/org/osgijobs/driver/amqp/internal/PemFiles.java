package org.osgijobs.driver.amqp.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.osgijobs.api.JobsException;

/**
 * Reads the PEM files RoadRunner's TLS options name: certificates ({@code tls.cert}, {@code tls.root_ca}) and a
 * private key ({@code tls.key}) in PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE
 * KEY}) form, unencrypted.
 */
final class PemFiles {

    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "DSA"};
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    /**
     * @param option the option naming the file, for messages
     * @param file   the file
     * @return the certificates it holds, in order
     * @throws JobsException when the file cannot be read or holds no certificate
     */
    static List<X509Certificate> certificates(String option, String file) {
        byte[] bytes = read(option, file);
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new JobsException("jobs.amqp: option '" + option + "': " + file + " holds no certificate");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new JobsException("jobs.amqp: option '" + option + "': " + file + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param option the option naming the file, for messages
     * @param file   the file
     * @return the private key it holds
     * @throws JobsException when the file cannot be read or holds no supported key
     */
    static PrivateKey privateKey(String option, String file) {
        String text = new String(read(option, file), StandardCharsets.US_ASCII);
        if (text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new JobsException("jobs.amqp: option '" + option + "': " + file
                    + " holds an encrypted key; give an unencrypted PKCS#8 or RSA key");
        }
        byte[] pkcs8;
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            pkcs8 = block(text, "PRIVATE KEY", option, file);
        } else if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            pkcs8 = wrapRsa(block(text, "RSA PRIVATE KEY", option, file));
        } else {
            throw new JobsException("jobs.amqp: option '" + option + "': " + file
                    + " holds no 'BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' block (convert it with: openssl pkcs8"
                    + " -topk8 -nocrypt)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new JobsException("jobs.amqp: option '" + option + "': " + file + " holds a key of an unsupported type");
    }

    private static byte[] read(String option, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new JobsException("jobs.amqp: option '" + option + "': cannot read " + file + ": " + e, e);
        }
    }

    private static byte[] block(String text, String label, String option, String file) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new JobsException("jobs.amqp: option '" + option + "': " + file + " has no complete " + label
                    + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new JobsException("jobs.amqp: option '" + option + "': " + file + " has a malformed " + label
                    + " block", e);
        }
    }

    /** Wraps a PKCS#1 RSA key into PKCS#8: SEQUENCE { 0, rsaEncryption, OCTET STRING { key } }. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + RSA_ALGORITHM_ID.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM_ID, 0, body, version.length, RSA_ALGORITHM_ID.length);
        System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM_ID.length, octets.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        byte[] length;
        if (n < 0x80) {
            length = new byte[] {(byte) n};
        } else if (n < 0x100) {
            length = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(value, 0, out, 1 + length.length, n);
        return out;
    }
}
