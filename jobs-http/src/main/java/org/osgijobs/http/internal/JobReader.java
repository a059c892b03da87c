package org.osgijobs.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

/**
 * Reads one job of a push request into a {@link Message}: {@code name} (required), {@code payload} (UTF-8 text, or
 * base64 with {@code "payload_encoding": "base64"}), {@code headers} (a string or a list of strings per name),
 * {@code priority}, {@code delay}, {@code id} and {@code auto_ack}, the options of {@code push}. A member it does not
 * know, or one of the wrong type, is refused naming it (prefixed with {@code prefix}, e.g. {@code jobs[3].}).
 */
final class JobReader {

    static final Set<String> MEMBERS = Set.of("name", "payload", "payload_encoding", "headers", "priority", "delay",
            "id", "auto_ack");

    private JobReader() {
    }

    static Message read(JsonNode job, String pipeline, String prefix) {
        if (job == null || !job.isObject()) {
            throw ApiException.badInput(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "a job must be a JSON object");
        }
        for (Iterator<String> names = job.fieldNames(); names.hasNext();) {
            String member = names.next();
            if (!MEMBERS.contains(member)) {
                throw ApiException.badInput(prefix + member, "unknown member '" + prefix + member + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(MEMBERS)));
            }
        }
        String name = text(job, "name", prefix, true);
        Message.Builder builder = Message.builder(name).pipeline(pipeline)
                .payload(payload(job, prefix))
                .headers(headers(job.get("headers"), prefix))
                .priority(number(job, "priority", prefix, Long.MAX_VALUE))
                .delay((int) number(job, "delay", prefix, Integer.MAX_VALUE))
                .autoAck(bool(job, "auto_ack", prefix));
        String id = text(job, "id", prefix, false);
        if (id != null) {
            if (id.isBlank()) {
                throw ApiException.badInput(prefix + "id", "'" + prefix + "id' must not be blank");
            }
            builder.id(id);
        }
        try {
            return builder.build();
        } catch (JobsException e) {
            throw ApiException.badInput(prefix + (e.getMessage().contains("priority") ? "priority"
                    : e.getMessage().contains("delay") ? "delay" : "name"), e.getMessage());
        }
    }

    private static byte[] payload(JsonNode job, String prefix) {
        String encoding = text(job, "payload_encoding", prefix, false);
        String payload = text(job, "payload", prefix, false);
        if (encoding == null || encoding.equals("text")) {
            return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        }
        if (!encoding.equals("base64")) {
            throw ApiException.badInput(prefix + "payload_encoding", "'" + prefix
                    + "payload_encoding' must be 'text' or 'base64', got '" + encoding + "'");
        }
        try {
            return payload == null ? new byte[0] : Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput(prefix + "payload", "'" + prefix + "payload' is not valid base64: "
                    + e.getMessage());
        }
    }

    private static Map<String, List<String>> headers(JsonNode headers, String prefix) {
        if (headers == null || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject()) {
            throw ApiException.badInput(prefix + "headers", "'" + prefix
                    + "headers' must be an object of names to a string or a list of strings");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> header = it.next();
            String field = prefix + "headers." + header.getKey();
            JsonNode value = header.getValue();
            if (value.isTextual()) {
                result.put(header.getKey(), List.of(value.textValue()));
            } else if (value.isArray()) {
                List<String> values = new ArrayList<>();
                for (JsonNode v : value) {
                    if (!v.isTextual()) {
                        throw ApiException.badInput(field, "'" + field + "' must hold strings only");
                    }
                    values.add(v.textValue());
                }
                result.put(header.getKey(), values);
            } else {
                throw ApiException.badInput(field, "'" + field + "' must be a string or a list of strings");
            }
        }
        return result;
    }

    private static String text(JsonNode job, String member, String prefix, boolean required) {
        JsonNode node = job.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badInput(prefix + member, "'" + prefix + member + "' is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badInput(prefix + member, "'" + prefix + member + "' must be a string, got "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node.textValue();
    }

    private static long number(JsonNode job, String member, String prefix, long max) {
        JsonNode node = job.get(member);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0 || node.longValue() > max) {
            throw ApiException.badInput(prefix + member, "'" + prefix + member
                    + "' must be an integer from 0 to " + max + ", got " + node);
        }
        return node.longValue();
    }

    private static boolean bool(JsonNode job, String member, String prefix) {
        JsonNode node = job.get(member);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badInput(prefix + member, "'" + prefix + member + "' must be true or false, got "
                    + node);
        }
        return node.booleanValue();
    }
}
