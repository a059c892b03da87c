package org.osgijobs.driver.amqp.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.osgijobs.api.JobsException;

/**
 * The broker's address from the {@code addr} option, read as RoadRunner reads it: {@code amqp://host:5672} and
 * {@code amqp://host:5672/} both mean the vhost {@code /} (the Java client would read the second as the empty
 * vhost, which the broker refuses); {@code amqp://host/name} means the vhost {@code name}, and {@code %2F} spells a
 * slash inside a vhost name. Query parameters: {@code heartbeat} (seconds) and {@code connection_timeout}
 * (milliseconds).
 * <p>
 * The user name and password never leave this class in text: {@link #toString()} masks them, and every error
 * message is built from the masked form.
 */
final class BrokerAddress {

    /** RoadRunner's default address. */
    static final String DEFAULT = "amqp://guest:guest@127.0.0.1:5672/";

    static final int DEFAULT_HEARTBEAT_SECONDS = 60;
    static final int DEFAULT_CONNECTION_TIMEOUT_MILLIS = 10_000;

    private final boolean tls;
    private final String host;
    private final int port;
    private final String vhost;
    private final String username;
    private final String password;
    private final int heartbeatSeconds;
    private final int connectionTimeoutMillis;

    private BrokerAddress(boolean tls, String host, int port, String vhost, String username, String password,
            int heartbeatSeconds, int connectionTimeoutMillis) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.vhost = vhost;
        this.username = username;
        this.password = password;
        this.heartbeatSeconds = heartbeatSeconds;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
    }

    /**
     * @param addr the {@code addr} option; blank for {@link #DEFAULT}
     * @return the address
     * @throws JobsException naming what is malformed, with credentials masked
     */
    static BrokerAddress parse(String addr) {
        String text = addr == null || addr.isBlank() ? DEFAULT : addr.trim();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw bad("it must start with amqp:// or amqps://", maskedForm(text));
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("amqp")) {
            tls = false;
        } else if (scheme.equals("amqps")) {
            tls = true;
        } else {
            throw bad("the scheme must be amqp or amqps, not '" + scheme + "'", maskedForm(text));
        }
        String rest = text.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash);
            rest = rest.substring(0, slash);
        }
        String username = "guest";
        String password = "guest";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            username = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "user name", text);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1), "password", text) : "";
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw bad("the IPv6 host has no closing ']'", maskedForm(text));
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw bad("unexpected text after the host", maskedForm(text));
            }
        } else {
            int colon = rest.lastIndexOf(':');
            host = colon >= 0 ? rest.substring(0, colon) : rest;
            portText = colon >= 0 ? rest.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        int port = tls ? 5671 : 5672;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw bad("the port '" + portText + "' is not a number", maskedForm(text));
            }
            if (port < 1 || port > 65535) {
                throw bad("the port " + port + " is out of range", maskedForm(text));
            }
        }
        String vhost = "/";
        if (path.length() > 1) {
            String name = path.substring(1);
            if (name.contains("/")) {
                throw bad("the vhost '" + name + "' contains '/': write it as %2F", maskedForm(text));
            }
            vhost = decode(name, "vhost", text);
        }
        int heartbeat = DEFAULT_HEARTBEAT_SECONDS;
        int connectionTimeout = DEFAULT_CONNECTION_TIMEOUT_MILLIS;
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq >= 0 ? pair.substring(0, eq) : pair;
                String value = eq >= 0 ? pair.substring(eq + 1) : "";
                switch (key) {
                case "heartbeat":
                    heartbeat = nonNegative(key, value, text);
                    break;
                case "connection_timeout":
                    connectionTimeout = nonNegative(key, value, text);
                    break;
                default:
                    throw bad("unknown query parameter '" + key + "' (known: heartbeat, connection_timeout)",
                            maskedForm(text));
                }
            }
        }
        return new BrokerAddress(tls, host, port, vhost, username, password, heartbeat, connectionTimeout);
    }

    boolean tls() {
        return tls;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String vhost() {
        return vhost;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    int connectionTimeoutMillis() {
        return connectionTimeoutMillis;
    }

    /** @return the address with user name and password masked, and the vhost spelled out */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "amqps" : "amqp") + "://***:***@" + h + ":" + port + " (vhost '" + vhost + "')";
    }

    /**
     * @param text an address that may not parse
     * @return the text with everything between "://" (or the start) and the last '@' masked
     */
    static String maskedForm(String text) {
        int start = text.indexOf("://");
        int from = start < 0 ? 0 : start + 3;
        int at = text.lastIndexOf('@');
        if (at < from) {
            return text;
        }
        return text.substring(0, from) + "***:***" + text.substring(at);
    }

    private static String decode(String s, String what, String text) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad("the " + what + " has a malformed %-escape", maskedForm(text));
        }
    }

    private static int nonNegative(String key, String value, String text) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("query parameter '" + key + "' must be a number not below 0, got '" + value + "'",
                maskedForm(text));
    }

    private static JobsException bad(String why, String masked) {
        return new JobsException("jobs.amqp: option 'addr' is malformed: " + why + " in '" + masked + "'");
    }
}
