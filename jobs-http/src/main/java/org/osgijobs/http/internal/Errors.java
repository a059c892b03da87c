package org.osgijobs.http.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgijobs.api.JobsException;

/**
 * The API's error answers: a JSON body {@code {"error": {"status", "kind", "message", "field"}}} and the status
 * that a {@link JobsException.Kind} maps to.
 */
final class Errors {

    /** The runtime's option errors name the option like this: {@code option 'priority' must be ...}. */
    private static final Pattern OPTION = Pattern.compile("option '([^']+)'");

    private final ObjectMapper json;
    private final int retryAfterSeconds;

    Errors(ObjectMapper json, int retryAfterSeconds) {
        this.json = json;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * BAD_INPUT 400 (409 when the name is taken), UNKNOWN_PIPELINE 404, UNAVAILABLE 503 (429 when the pipeline is
     * full), REJECTED 502 (the driver or broker refused: nothing was stored), OUTCOME_UNKNOWN 504.
     */
    static int status(JobsException e) {
        String message = String.valueOf(e.getMessage());
        switch (e.kind()) {
        case BAD_INPUT:
            return message.contains("already exists") ? 409 : 400;
        case UNKNOWN_PIPELINE:
            return 404;
        case UNAVAILABLE:
            return message.contains(": full") ? 429 : 503;
        case OUTCOME_UNKNOWN:
            return 504;
        case REJECTED:
        default:
            return 502;
        }
    }

    ApiResponse of(JobsException e, String field) {
        String named = field;
        if (named == null) {
            Matcher m = OPTION.matcher(String.valueOf(e.getMessage()));
            named = m.find() ? m.group(1) : null;
        }
        return answer(status(e), e.kind().name(), e.getMessage(), named);
    }

    ApiResponse of(ApiException e) {
        ApiResponse response = answer(e.status(), kindOf(e.status()), e.getMessage(), e.field());
        if (e instanceof ApiRouter.MethodNotAllowed) {
            response = response.withHeader("Allow", ((ApiRouter.MethodNotAllowed) e).allow);
        }
        return response;
    }

    private static String kindOf(int status) {
        switch (status) {
        case 400: case 413: case 415:
            return "BAD_INPUT";
        case 401:
            return "UNAUTHORIZED";
        case 403:
            return "FORBIDDEN";
        case 404:
            return "NOT_FOUND";
        case 405:
            return "METHOD_NOT_ALLOWED";
        case 409:
            return "CONFLICT";
        default:
            return "REFUSED";
        }
    }

    ObjectNode body(int status, String kind, String message, String field) {
        ObjectNode error = json.createObjectNode();
        error.put("status", status);
        error.put("kind", kind);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return error;
    }

    private ApiResponse answer(int status, String kind, String message, String field) {
        ObjectNode root = json.createObjectNode();
        root.set("error", body(status, kind, message, field));
        ApiResponse response = ApiResponse.json(status, Json.bytes(json, root));
        if (status == 429 || status == 503) {
            response = response.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        if (status == 401) {
            response = response.withHeader("WWW-Authenticate", "Bearer realm=\"jobs\"");
        }
        return response;
    }
}
