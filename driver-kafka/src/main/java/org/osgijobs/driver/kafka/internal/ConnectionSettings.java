package org.osgijobs.driver.kafka.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgijobs.api.JobsException;

/**
 * The {@code jobs.kafka} configuration, checked: the bootstrap brokers, TLS (PEM files read once), SASL
 * (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and the ping timeout, turned into the properties every client of the driver
 * starts from. Immutable. Its {@link #toString()} names the brokers only: the password never leaves this object
 * except inside the client properties.
 */
final class ConnectionSettings {
    static final String DEFAULT_BROKERS = "127.0.0.1:9092";
    static final long DEFAULT_PING_MILLIS = 10_000;

    private final List<String> brokers;
    private final long pingMillis;
    private final boolean tls;
    private final String rootCa;
    private final String cert;
    private final String key;
    private final String saslMechanism;
    private final String saslUser;
    private final String saslPassword;

    private ConnectionSettings(List<String> brokers, long pingMillis, boolean tls, String rootCa, String cert,
            String key, String saslMechanism, String saslUser, String saslPassword) {
        this.brokers = List.copyOf(brokers);
        this.pingMillis = pingMillis;
        this.tls = tls;
        this.rootCa = rootCa;
        this.cert = cert;
        this.key = key;
        this.saslMechanism = saslMechanism;
        this.saslUser = saslUser;
        this.saslPassword = saslPassword;
    }

    /**
     * @param properties the {@code jobs.kafka} configuration (keys as written in the .cfg file); empty for defaults
     * @return the checked settings
     * @throws JobsException of kind {@code BAD_INPUT} naming the key that is wrong
     */
    static ConnectionSettings of(Map<String, ?> properties) {
        List<String> brokers = list(properties.get("brokers"));
        if (brokers.isEmpty()) {
            brokers = List.of(DEFAULT_BROKERS);
        }
        for (String b : brokers) {
            int colon = b.lastIndexOf(':');
            if (colon <= 0 || colon == b.length() - 1 || !b.substring(colon + 1).chars().allMatch(Character::isDigit)
                    || b.contains("@") || b.contains("/")) {
                throw bad("brokers", b, "host:port");
            }
        }
        long ping = DEFAULT_PING_MILLIS;
        String pingText = string(properties, "ping.timeout");
        if (!pingText.isEmpty()) {
            ping = Durations.millis(pingText);
            if (ping <= 0) {
                throw bad("ping.timeout", pingText, "a duration such as 10s or 500ms");
            }
        }
        if (string(properties, "tls.cert").isEmpty() != string(properties, "tls.key").isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.kafka: tls.cert and tls.key go together"
                    + " (one of them is missing)");
        }
        String rootCa = pem(properties, "tls.root_ca");
        String cert = pem(properties, "tls.cert");
        String key = pem(properties, "tls.key");
        String clientAuth = string(properties, "tls.client_auth_type");
        if (!clientAuth.isEmpty() && !Arrays.asList("no_client_certs", "request_client_cert",
                "require_any_client_cert", "verify_client_cert_if_given", "require_and_verify_client_cert")
                .contains(clientAuth)) {
            throw bad("tls.client_auth_type", clientAuth, "one of RoadRunner's client auth types");
        }
        boolean tls = Boolean.parseBoolean(string(properties, "tls.enabled")) || !rootCa.isEmpty() || !cert.isEmpty();
        String mechanism = string(properties, "sasl.mechanism");
        String saslMechanism = "";
        if (!mechanism.isEmpty()) {
            switch (mechanism.toUpperCase(Locale.ROOT)) {
                case "PLAIN":
                    saslMechanism = "PLAIN";
                    break;
                case "SCRAM-SHA-256":
                case "SCRAM-SHA-512":
                    saslMechanism = mechanism.toUpperCase(Locale.ROOT);
                    break;
                default:
                    throw bad("sasl.mechanism", mechanism, "plain, SCRAM-SHA-256 or SCRAM-SHA-512"
                            + " (aws_msk_iam is not supported here)");
            }
        }
        String user = string(properties, "sasl.username");
        String password = string(properties, "sasl.password");
        if (!saslMechanism.isEmpty() && user.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.kafka: sasl.mechanism " + mechanism
                    + " needs sasl.username (and sasl.password)");
        }
        return new ConnectionSettings(brokers, ping, tls, rootCa, cert, key, saslMechanism, user, password);
    }

    /** @return the properties every client of the driver starts from */
    Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", String.join(",", brokers));
        boolean sasl = !saslMechanism.isEmpty();
        p.put("security.protocol", tls ? (sasl ? "SASL_SSL" : "SSL") : (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT"));
        if (!rootCa.isEmpty()) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.certificates", rootCa);
        }
        if (!cert.isEmpty()) {
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.certificate.chain", cert);
            p.put("ssl.keystore.key", key);
        }
        if (sasl) {
            p.put("sasl.mechanism", saslMechanism);
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaas(saslUser) + "\" password=\""
                    + jaas(saslPassword) + "\";");
        }
        p.put("reconnect.backoff.ms", 100);
        p.put("reconnect.backoff.max.ms", 2000);
        return p;
    }

    List<String> brokers() {
        return brokers;
    }

    long pingMillis() {
        return pingMillis;
    }

    boolean tls() {
        return tls;
    }

    String saslMechanism() {
        return saslMechanism;
    }

    /** @return the brokers, for messages and logs; never a credential */
    @Override
    public String toString() {
        return String.join(",", brokers);
    }

    /** Removes a password that might have slipped into a client's error message. */
    String mask(String text) {
        if (text == null) {
            return "";
        }
        return saslPassword.isEmpty() ? text : text.replace(saslPassword, "****");
    }

    private static String jaas(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String pem(Map<String, ?> properties, String key) {
        String file = string(properties, key);
        if (file.isEmpty()) {
            return "";
        }
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN")) {
                throw bad(key, file, "a PEM file");
            }
            return text;
        } catch (IOException | RuntimeException e) {
            if (e instanceof JobsException) {
                throw (JobsException) e;
            }
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.kafka: " + key + " '" + file
                    + "' cannot be read: " + e.getMessage(), e);
        }
    }

    static List<String> list(Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Collection<?> items;
        if (value instanceof Collection) {
            items = (Collection<?>) value;
        } else if (value instanceof Object[]) {
            items = Arrays.asList((Object[]) value);
        } else {
            String text = value.toString().trim();
            if (text.startsWith("[") && text.endsWith("]")) {
                text = text.substring(1, text.length() - 1);
            }
            items = Arrays.asList(text.split("[,\\s]+"));
        }
        for (Object item : items) {
            if (item == null) {
                continue;
            }
            for (String part : item.toString().split("[,\\s]+")) {
                String t = part.trim();
                if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
                    t = t.substring(1, t.length() - 1);
                }
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static String string(Map<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null ? "" : v.toString().trim();
    }

    private static JobsException bad(String key, String value, String expected) {
        return new JobsException(JobsException.Kind.BAD_INPUT, "jobs.kafka: " + key + " '" + value
                + "' is not " + expected);
    }
}
