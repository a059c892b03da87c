package org.osgijobs.opentelemetry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.monitor.JobsTracer;

public class OpenTelemetryTracerTest {
    private final RecordedSpans recorded = new RecordedSpans();
    private final OpenTelemetryTracer tracer = new OpenTelemetryTracer(recorded.openTelemetry);

    /** The job a worker runs: what was pushed, with the push span's headers. */
    private static JobContext delivered(Message pushed, Map<String, List<String>> headers, int attempt) {
        return new JobContext() {
            public String id() { return pushed.id(); }
            public String name() { return pushed.name(); }
            public String pipeline() { return pushed.pipeline(); }
            public long priority() { return pushed.priority(); }
            public byte[] payload() { return pushed.payload(); }
            public String payloadAsString() { return new String(pushed.payload(), StandardCharsets.UTF_8); }
            public Map<String, List<String>> headers() { return headers; }
            public String header(String key) { return headers.containsKey(key) ? headers.get(key).get(0) : null; }
            public int attempt() { return attempt; }
            public void requeue(Map<String, List<String>> h, int delay) { }
            public void nack(boolean requeue, int delay) { }
            public boolean isCancelled() { return false; }
        };
    }

    @Test
    public void aPushInsideARequestJoinsItsTraceAndTheRunIsItsChildAndCurrentForTheHandler() {
        Message job = Message.builder("mail.send").id("job-1").pipeline("orders").build();
        Span request = recorded.openTelemetry.getTracer("test").spanBuilder("POST /orders").startSpan();
        JobsTracer.PushSpan push;
        try (Scope ignored = request.makeCurrent()) {
            push = tracer.pushing(job);
            push.end(null);
        } finally {
            request.end();
        }
        String traceparent = push.headers().get("traceparent").get(0);
        assertTrue(traceparent, traceparent.startsWith("00-" + request.getSpanContext().getTraceId() + "-"));

        JobsTracer.RunSpan run = tracer.running("orders", delivered(job, push.headers(), 2));
        Span current = Span.current();
        assertEquals("the handler runs in the producer's trace", request.getSpanContext().getTraceId(),
                current.getSpanContext().getTraceId());
        run.end(null);
        assertFalse("no span is current after the run", Span.current().getSpanContext().isValid());

        SpanData published = recorded.named("publish orders");
        SpanData processed = recorded.named("process orders");
        assertEquals(SpanKind.PRODUCER, published.getKind());
        assertEquals(request.getSpanContext().getSpanId(), published.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, processed.getKind());
        assertEquals(published.getSpanId(), processed.getParentSpanId());
        assertEquals(current.getSpanContext().getSpanId(), processed.getSpanId());
        assertEquals("job-1", processed.getAttributes().get(OpenTelemetryTracer.MESSAGE_ID));
        assertEquals("mail.send", processed.getAttributes().get(OpenTelemetryTracer.JOB_NAME));
        assertEquals(Long.valueOf(2), processed.getAttributes().get(OpenTelemetryTracer.ATTEMPT));
        assertEquals("orders", published.getAttributes().get(OpenTelemetryTracer.DESTINATION));
        assertEquals(StatusCode.UNSET, processed.getStatus().getStatusCode());
    }

    @Test
    public void withoutACurrentSpanTheTraceContextOnTheJobIsTheParent() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Message job = Message.builder("report").id("job-2").pipeline("reports")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").build();
        JobsTracer.PushSpan push = tracer.pushing(job);
        push.end(null);
        SpanData published = recorded.named("publish reports");
        assertEquals(traceId, published.getTraceId());
        assertEquals("00f067aa0ba902b7", published.getParentSpanId());
        assertEquals("the job carries the push span's context now", "00-" + traceId + "-"
                + published.getSpanId() + "-01", push.headers().get("traceparent").get(0));
    }

    @Test
    public void failuresMarkTheirSpans() {
        Message job = Message.builder("x").id("job-3").pipeline("p").build();
        JobsTracer.PushSpan push = tracer.pushing(job);
        push.end(new JobsException(JobsException.Kind.UNAVAILABLE, "pipeline 'p': full"));
        JobsTracer.RunSpan run = tracer.running("p", delivered(job, push.headers(), 1));
        run.end(new IllegalStateException("smtp down"));

        SpanData published = recorded.named("publish p");
        assertEquals(StatusCode.ERROR, published.getStatus().getStatusCode());
        assertEquals("pipeline 'p': full", published.getStatus().getDescription());
        SpanData processed = recorded.named("process p");
        assertEquals(StatusCode.ERROR, processed.getStatus().getStatusCode());
        assertEquals("exception", processed.getEvents().get(0).getName());
    }
}
