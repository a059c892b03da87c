package org.osgijobs.driver.beanstalk.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import org.osgijobs.api.JobsException;

/**
 * The {@code jobs.beanstalk} configuration, checked once: the server's address and the {@code timeout} that is the
 * TTR (time to run) of every job put. Immutable. beanstalkd has no authentication, so the address holds no secret;
 * user information in it is refused all the same and never shown.
 */
final class ConnectionSettings {
    static final String PID = "jobs.beanstalk";
    static final String DEFAULT_ADDR = "tcp://127.0.0.1:11300";
    static final int DEFAULT_PORT = 11300;
    static final int DEFAULT_TIMEOUT = 30;
    /** beanstalkd's largest TTR: 2^32 - 1 seconds. */
    static final long MAX_TTR = 4_294_967_295L;

    final String host;
    final int port;
    final long ttrSeconds;

    private ConnectionSettings(String host, int port, long ttrSeconds) {
        this.host = host;
        this.port = port;
        this.ttrSeconds = ttrSeconds;
    }

    /**
     * @param properties the {@code jobs.beanstalk} configuration (absent keys take their defaults)
     * @return the settings
     * @throws JobsException of kind {@code BAD_INPUT} naming the key and the value
     */
    static ConnectionSettings of(Map<String, ?> properties) {
        String addr = string(properties, "addr");
        if (addr.isEmpty()) {
            addr = DEFAULT_ADDR;
        }
        URI uri;
        try {
            uri = new URI(addr.contains("://") ? addr : "tcp://" + addr);
        } catch (URISyntaxException e) {
            throw bad("addr", mask(addr), "an address such as " + DEFAULT_ADDR);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp")) {
            throw bad("addr", mask(addr), "a tcp:// address such as " + DEFAULT_ADDR + " (beanstalkd has no TLS)");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad("addr", mask(addr), "an address without user information (beanstalkd has no authentication)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad("addr", mask(addr), "an address with a host, such as " + DEFAULT_ADDR);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw bad("addr", mask(addr), "host and port only, such as " + DEFAULT_ADDR);
        }
        String timeoutText = string(properties, "timeout");
        long ttr = timeoutText.isEmpty() ? DEFAULT_TIMEOUT : Durations.seconds(timeoutText);
        if (ttr < 1 || ttr > MAX_TTR) {
            throw bad("timeout", timeoutText, "a number of seconds from 1 to " + MAX_TTR + " (30, 30s, 2m)");
        }
        return new ConnectionSettings(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), ttr);
    }

    static ConnectionSettings of(String host, int port, long ttrSeconds) {
        return new ConnectionSettings(host, port, ttrSeconds);
    }

    @Override
    public String toString() {
        return "tcp://" + host + ":" + port;
    }

    private static String mask(String text) {
        return text.replaceAll("(?i)([a-z]+://)[^/@\\s]+@", "$1***@");
    }

    private static String string(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null ? "" : String.valueOf(v).trim();
    }

    private static JobsException bad(String key, String value, String expected) {
        return new JobsException(JobsException.Kind.BAD_INPUT, PID + ": '" + key + "' must be " + expected
                + ", got '" + value + "'");
    }
}
