package org.osgijobs.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The security defaults, checked before a request is routed: clients on this machine only unless
 * {@code allow_remote}; a request that changes something comes from the API's own origin or an allowed one (a
 * browser cannot be made to post from another site) and carries the bearer token when one is configured. Reads
 * (GET) never change anything and need no token. The token is compared in constant time and appears in no message.
 */
final class RequestGuard {

    static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final byte[] token;
    private final List<String> allowedOrigins;
    private final boolean allowRemote;

    RequestGuard(String token, List<String> allowedOrigins, boolean allowRemote) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.allowRemote = allowRemote;
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** @throws ApiException 403 or 401 naming what is missing */
    void check(ApiRequest request) {
        if (!allowRemote && !isLoopback(request.remoteAddr())) {
            throw new ApiException(403, null, "only clients on this machine may use this API"
                    + " (jobs.http allow_remote=false); " + request.remoteAddr() + " is not a loopback address");
        }
        if (READS.contains(request.method())) {
            return;
        }
        String origin = request.header().apply("Origin");
        if (origin != null && !isAllowedOrigin(origin, request)) {
            throw new ApiException(403, "Origin", "origin '" + origin + "' may not change anything here"
                    + " (jobs.http allowed_origins)");
        }
        if (token != null) {
            String authorization = request.header().apply("Authorization");
            if (authorization == null) {
                throw new ApiException(401, "Authorization", "this request changes something and needs"
                        + " 'Authorization: Bearer <token>' (jobs.http token)");
            }
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || !MessageDigest.isEqual(token,
                    authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
                throw new ApiException(401, "Authorization", "the bearer token is not the configured one");
            }
        }
    }

    boolean isAllowedOrigin(String origin, ApiRequest request) {
        String host = request.header().apply("Host");
        if (host != null && origin.equalsIgnoreCase(request.scheme() + "://" + host)) {
            return true;
        }
        return allowedOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin));
    }

    boolean isListedOrigin(String origin) {
        return allowedOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin));
    }

    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.toLowerCase(Locale.ROOT);
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        // a literal address: never a name lookup on a request thread
        if (!a.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !a.matches("[0-9a-f:.]*:[0-9a-f:.]*(%[0-9a-z]+)?")) {
            return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
