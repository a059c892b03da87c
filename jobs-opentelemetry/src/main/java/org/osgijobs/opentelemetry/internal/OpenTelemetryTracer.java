package org.osgijobs.opentelemetry.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgijobs.api.Message;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.monitor.JobsTracer;

/**
 * Pushes and runs as OpenTelemetry spans, named and attributed after OpenTelemetry's messaging conventions: a
 * {@code PRODUCER} span "publish &lt;pipeline&gt;" whose context travels in the job's headers (W3C
 * {@code traceparent}, {@code tracestate}, as the framework's propagators write them), and a {@code CONSUMER} span
 * "process &lt;pipeline&gt;" around each run, its child, current while the handler runs. A push's parent is the
 * producer's current span; without one, a trace context the producer put on the job itself (an HTTP client's
 * {@code traceparent}, for one), so that the job joins the caller's trace.
 * <p>
 * Active only while an {@link OpenTelemetry} service is registered (the application's SDK).
 */
@Component(service = JobsTracer.class)
public final class OpenTelemetryTracer implements JobsTracer {
    static final String INSTRUMENTATION = "org.osgijobs";
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("osgijobs.job.name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("osgijobs.job.attempt");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    @Activate
    public OpenTelemetryTracer(@Reference OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public PushSpan pushing(Message message) {
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            parent = propagator.extract(Context.root(), message.headers(), HeaderCarrier.GETTER);
        }
        Span span = tracer.spanBuilder("publish " + message.pipeline()).setSpanKind(SpanKind.PRODUCER)
                .setParent(parent).setAttribute(SYSTEM, "osgijobs").setAttribute(OPERATION, "publish")
                .setAttribute(DESTINATION, message.pipeline()).setAttribute(MESSAGE_ID, message.id())
                .setAttribute(JOB_NAME, message.name()).startSpan();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        propagator.inject(parent.with(span), headers, HeaderCarrier.SETTER);
        return new PushSpan() {
            @Override
            public Map<String, List<String>> headers() {
                return headers;
            }

            @Override
            public void end(Throwable failure) {
                finish(span, failure);
            }
        };
    }

    @Override
    public RunSpan running(String pipeline, JobContext job) {
        Context parent = propagator.extract(Context.root(), job.headers(), HeaderCarrier.GETTER);
        Span span = tracer.spanBuilder("process " + pipeline).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute(SYSTEM, "osgijobs").setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, pipeline).setAttribute(MESSAGE_ID, job.id())
                .setAttribute(JOB_NAME, job.name()).setAttribute(ATTEMPT, (long) job.attempt()).startSpan();
        Scope scope = parent.with(span).makeCurrent();
        return failure -> {
            try {
                scope.close();
            } finally {
                finish(span, failure);
            }
        };
    }

    private static void finish(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }
}
