package org.osgijobs.driver.nats.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgijobs.api.JobsException;

import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The {@code jobs.nats} configuration, checked once: the servers, and how to authenticate. Immutable. Its
 * {@link #toString()} is the address without credentials, the only form that reaches logs and error messages.
 */
final class ConnectionSettings {

    static final String DEFAULT_ADDR = "nats://127.0.0.1:4222";
    static final int DEFAULT_PORT = 4222;
    /** The longest one connection attempt may take, whatever the pipeline's {@code timeout}. */
    static final Duration MAX_CONNECT = Duration.ofSeconds(10);

    private final List<String> servers;
    private final String display;
    private final String user;
    private final String password;
    private final String token;
    private final String creds;
    private final String truststore;
    private final String truststorePassword;
    private final String keystore;
    private final String keystorePassword;

    private ConnectionSettings(List<String> servers, String display, Map<String, ?> p) {
        this.servers = List.copyOf(servers);
        this.display = display;
        this.user = string(p, "user");
        this.password = string(p, "password");
        this.token = string(p, "token");
        this.creds = string(p, "creds");
        this.truststore = string(p, "tls.truststore");
        this.truststorePassword = string(p, "tls.truststore_password");
        this.keystore = string(p, "tls.keystore");
        this.keystorePassword = string(p, "tls.keystore_password");
    }

    /**
     * @param properties the {@code jobs.nats} configuration (absent keys take their defaults)
     * @return the settings
     * @throws JobsException naming the key and what is wrong with it (never a secret's value)
     */
    static ConnectionSettings of(Map<String, ?> properties) {
        String addr = string(properties, "addr");
        if (addr.isEmpty()) {
            addr = DEFAULT_ADDR;
        }
        List<String> servers = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String part : addr.split(",")) {
            String one = part.trim();
            if (one.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(one.contains("://") ? one : "nats://" + one);
            } catch (URISyntaxException e) {
                throw bad("addr", mask(one), "a URL such as nats://127.0.0.1:4222");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("nats") && !scheme.equals("tls")) {
                throw bad("addr", mask(one), "a nats:// or tls:// URL");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw bad("addr", mask(one), "a URL with a host, such as nats://127.0.0.1:4222");
            }
            servers.add(one);
            shown.add(scheme + "://" + (uri.getRawUserInfo() != null ? "***@" : "") + uri.getHost() + ":"
                    + (uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()));
        }
        if (servers.isEmpty()) {
            throw bad("addr", addr, "at least one nats:// URL");
        }
        ConnectionSettings s = new ConnectionSettings(servers, String.join(",", shown), properties);
        if (!s.token.isEmpty() && !s.user.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.nats: set either 'token' or 'user' and"
                    + " 'password', not both");
        }
        if (!s.password.isEmpty() && s.user.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.nats: 'password' is set without 'user'");
        }
        for (String[] file : new String[][] { { "creds", s.creds }, { "tls.truststore", s.truststore },
                { "tls.keystore", s.keystore } }) {
            if (!file[1].isEmpty() && !Files.isReadable(Path.of(file[1]))) {
                throw bad(file[0], file[1], "a readable file");
            }
        }
        return s;
    }

    /** @return whether the connection uses TLS */
    boolean tls() {
        return !truststore.isEmpty() || !keystore.isEmpty() || display.startsWith("tls://");
    }

    /**
     * @param name      the connection's name as the server shows it
     * @param timeout   how long one connection attempt may take (at most {@link #MAX_CONNECT})
     * @param listener  connection events
     * @param errors    asynchronous errors of the client
     * @return the client's options: reconnect for ever, every half second
     */
    Options options(String name, Duration timeout, ConnectionListener listener, ErrorListener errors) {
        Options.Builder b = new Options.Builder()
                .servers(servers.toArray(new String[0]))
                .connectionName(name)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .reconnectJitter(Duration.ofMillis(100))
                // one attempt; the client's socket write timeout (1 min) must stay above it
                .connectionTimeout(timeout.compareTo(MAX_CONNECT) > 0 ? MAX_CONNECT : timeout)
                .pingInterval(Duration.ofSeconds(10))
                .connectionListener(listener)
                .errorListener(errors);
        if (!user.isEmpty()) {
            b.userInfo(user.toCharArray(), password.toCharArray());
        }
        if (!token.isEmpty()) {
            b.token(token.toCharArray());
        }
        if (!creds.isEmpty()) {
            b.authHandler(Nats.credentials(creds));
        }
        if (!truststore.isEmpty()) {
            b.truststorePath(truststore);
            if (!truststorePassword.isEmpty()) {
                b.truststorePassword(truststorePassword.toCharArray());
            }
        }
        if (!keystore.isEmpty()) {
            b.keystorePath(keystore);
            if (!keystorePassword.isEmpty()) {
                b.keystorePassword(keystorePassword.toCharArray());
            }
        }
        return b.build();
    }

    /** @return the servers without credentials: what logs and errors show */
    @Override
    public String toString() {
        return display;
    }

    /**
     * @param text any text that may hold the address (a client's error message)
     * @return the text with the user information of every URL in it masked
     */
    static String mask(String text) {
        return text == null ? "" : text.replaceAll("(?i)([a-z]+://)[^/@\\s]+@", "$1***@");
    }

    private static String string(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null ? "" : String.valueOf(v).trim();
    }

    private static JobsException bad(String key, String value, String expected) {
        return new JobsException(JobsException.Kind.BAD_INPUT, "jobs.nats: '" + key + "' must be " + expected
                + ", got '" + value + "'");
    }
}
