package org.osgijobs.opentelemetry.internal;

import java.util.List;
import java.util.Map;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** A job's headers as the carrier of a trace context: one value per key going out, the first value coming in. */
final class HeaderCarrier {
    static final TextMapGetter<Map<String, List<String>>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, List<String>> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, List<String>> headers, String key) {
            if (headers == null) {
                return null;
            }
            List<String> values = headers.get(key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    };

    static final TextMapSetter<Map<String, List<String>>> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.put(key, List.of(value));
        }
    };

    private HeaderCarrier() {
    }
}
