package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The driver's JSON, read and written with Jackson (imported from the framework, not embedded). It reads two kinds: the job headers RoadRunner puts
 * into {@code rr_headers} and the queue arguments of {@code queue_headers}; it writes {@code rr_headers}.
 * <p>
 * Values come back as {@link String}, {@link Long} (integral numbers that fit), {@link Double}, {@link Boolean},
 * {@code null}, {@link List} and {@link Map} (insertion-ordered). The reading is strict: one value and nothing
 * after it, no comments, no trailing commas, no unquoted names.
 * <p>
 * Arrays and objects nest at most {@value #MAX_DEPTH} levels deep (Jackson's stream constraint): what the driver
 * reads is flat, so deeper is malformed, and the bound keeps a message of a million brackets from costing more
 * than its first 65.
 */
final class Json {

    /** The deepest nesting of arrays and objects read. */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private Json() {
    }

    /**
     * @param text JSON text
     * @return the value it holds
     * @throws IllegalArgumentException naming the position and what is wrong, when the text is not JSON or nests
     *         deeper than {@value #MAX_DEPTH} levels
     */
    static Object parse(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            try {
                return plain(MAPPER.readValue(parser, Object.class));
            } catch (StreamConstraintsException e) {
                // the exception carries no location: the parser stands on the bracket one level too deep
                throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels at position "
                        + parser.currentTokenLocation().getCharOffset(), e);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + " at position " + position(e), e);
        } catch (IOException e) {
            // a String source cannot fail to read
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes headers as a JSON object of string to list of strings.
     *
     * @param headers the headers
     * @return the JSON text
     */
    static String writeHeaders(Map<String, List<String>> headers) {
        try {
            return MAPPER.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            // strings and lists of strings always serialize
            throw new IllegalStateException("cannot write headers as JSON", e);
        }
    }


    /** Integral numbers too big for a long come back as doubles, as the reader always gave them. */
    private static Object plain(Object value) {
        if (value instanceof BigInteger) {
            return ((BigInteger) value).doubleValue();
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) value) {
                out.add(plain(item));
            }
            return out;
        }
        if (value instanceof Map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put(k, plain(v)));
            return out;
        }
        return value;
    }

    private static long position(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? -1 : at.getCharOffset();
    }
}
