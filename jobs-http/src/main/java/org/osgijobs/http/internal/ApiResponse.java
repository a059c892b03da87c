package org.osgijobs.http.internal;

import java.util.Map;

/**
 * One HTTP answer: status, extra headers and a body with its content type.
 *
 * @param status      the HTTP status
 * @param headers     extra headers (Retry-After, WWW-Authenticate, Allow)
 * @param contentType the body's content type, or {@code null} without a body
 * @param body        the body, empty for none
 */
record ApiResponse(int status, Map<String, String> headers, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, Map.of(), JSON, body);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null, new byte[0]);
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, contentType, body);
    }
}
