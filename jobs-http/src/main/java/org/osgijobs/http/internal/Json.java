package org.osgijobs.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;

/** JSON in and out: the mapper's set-up, parsing a body, and the views of a pipeline's state and counters. */
final class Json {

    private Json() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    static JsonNode parse(ObjectMapper json, byte[] body) {
        if (body.length == 0) {
            throw ApiException.badInput("body", "the request needs a JSON body");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badInput("body", "the body is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw ApiException.badInput("body", "the body could not be read: " + e.getMessage());
        }
    }

    static byte[] bytes(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stored job, in the shape a push takes: the payload as text when it is UTF-8, else base64 with
     * {@code payload_encoding}; headers as lists of strings.
     */
    static ObjectNode job(ObjectMapper json, Message message) {
        ObjectNode node = json.createObjectNode();
        node.put("id", message.id());
        node.put("name", message.name());
        byte[] payload = message.payload();
        try {
            node.put("payload", StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString());
        } catch (CharacterCodingException e) {
            node.put("payload", Base64.getEncoder().encodeToString(payload));
            node.put("payload_encoding", "base64");
        }
        ObjectNode headers = node.putObject("headers");
        message.headers().forEach((name, values) -> {
            ArrayNode list = headers.putArray(name);
            values.forEach(list::add);
        });
        node.put("priority", message.priority());
        node.put("delay", message.delay());
        node.put("auto_ack", message.autoAck());
        return node;
    }

    /** A pipeline's state, with its counters under {@code stats} when given. */
    static ObjectNode pipeline(ObjectMapper json, State state, PipelineStats stats) {
        ObjectNode node = json.createObjectNode();
        node.put("pipeline", state.pipeline());
        node.put("driver", state.driver());
        node.put("queue", state.queue());
        node.put("ready", state.ready());
        node.put("priority", state.priority());
        node.put("active", state.active());
        node.put("delayed", state.delayed());
        node.put("reserved", state.reserved());
        node.put("error", state.errorMessage());
        if (stats != null) {
            ObjectNode s = node.putObject("stats");
            s.put("pushed", stats.pushed());
            s.put("push_errors", stats.pushErrors());
            s.put("processed", stats.processed());
            s.put("failed", stats.failed());
            s.put("timed_out", stats.timedOut());
            s.put("requeued", stats.requeued());
            s.put("dead_lettered", stats.deadLettered());
            s.put("no_handler", stats.noHandler());
            s.put("abandoned", stats.abandoned());
            s.put("in_flight", stats.inFlight());
            s.put("queued", stats.queued());
            s.put("delayed", stats.delayed());
            s.put("mean_run_micros", stats.meanRunMicros());
        }
        return node;
    }
}
