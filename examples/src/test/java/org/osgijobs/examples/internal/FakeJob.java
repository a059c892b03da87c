package org.osgijobs.examples.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.handler.JobContext;

/** A job as a handler sees it, recording whether the handler requeued or rejected it. */
final class FakeJob implements JobContext {
    private final String name;
    private final String payload;
    private final int attempt;
    boolean requeued;
    boolean nacked;

    FakeJob(String name, String payload, int attempt) {
        this.name = name;
        this.payload = payload;
        this.attempt = attempt;
    }

    @Override
    public String id() {
        return "id-1";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String pipeline() {
        return "default";
    }

    @Override
    public long priority() {
        return 10;
    }

    @Override
    public byte[] payload() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String payloadAsString() {
        return payload;
    }

    @Override
    public Map<String, List<String>> headers() {
        return Map.of("trace", List.of("t-1"));
    }

    @Override
    public String header(String key) {
        return "trace".equals(key) ? "t-1" : null;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void requeue(Map<String, List<String>> headers, int delay) {
        requeued = true;
    }

    @Override
    public void nack(boolean requeue, int delay) {
        nacked = true;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
