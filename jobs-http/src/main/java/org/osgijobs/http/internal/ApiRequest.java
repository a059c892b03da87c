package org.osgijobs.http.internal;

import java.util.function.Function;

/**
 * One HTTP request as the API sees it, independent of the servlet API so the routing is testable on its own.
 *
 * @param method     the HTTP method, upper case
 * @param path       the path below the base path, starting with '/' (or empty)
 * @param header     a header's value by name (case-insensitive), or {@code null}
 * @param body       the body, already limited in size
 * @param remoteAddr the client's IP address
 * @param scheme     the request's scheme ({@code http} or {@code https})
 * @param query      a query parameter's first value by name, or {@code null}
 */
record ApiRequest(String method, String path, Function<String, String> header, byte[] body, String remoteAddr,
        String scheme, Function<String, String> query) {
}
