package org.osgijobs.itests.otel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgijobs.api.Message;
import org.osgijobs.api.monitor.JobsTracer;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;
import org.osgijobs.itests.RecordingHandler;

/**
 * jobs-opentelemetry on Felix with the OpenTelemetry SDK as bundles: while the application's {@code OpenTelemetry}
 * service is registered, a push inside a span and the run it causes are spans of the same trace, the run current
 * for the handler; once the service goes away, jobs run untraced again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenTelemetryIT extends ItestSupport {

    @Override
    protected Option bundles() {
        return composite(super.bundles(), ItestBundles.openTelemetry());
    }

    /** Keeps the ended spans. */
    private static final class Exported implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> ended) {
            spans.addAll(ended);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        SpanData named(String name) {
            return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + spans));
        }
    }

    @Test
    public void aPushAndItsRunAreSpansOfTheProducersTraceWhileTheSdkIsRegistered() throws Exception {
        Exported exported = new Exported();
        OpenTelemetry sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        List<String> traceIdsInHandler = new CopyOnWriteArrayList<>();
        RecordingHandler handler = new RecordingHandler(
                job -> traceIdsInHandler.add(Span.current().getSpanContext().getTraceId()));
        registerHandler(handler, "otel.job");
        declare(memoryPipeline("otel"));
        jobs().resume("otel");

        ServiceRegistration<OpenTelemetry> registration = bundleContext.registerService(OpenTelemetry.class, sdk,
                null);
        try {
            await("the tracer follows the OpenTelemetry service",
                    () -> bundleContext.getServiceReference(JobsTracer.class) != null);
            Span request = sdk.getTracer("test").spanBuilder("POST /orders").startSpan();
            try (Scope ignored = request.makeCurrent()) {
                jobs().push(Message.builder("otel.job").id("traced-1").pipeline("otel").build());
            } finally {
                request.end();
            }
            await("ran", () -> traceIdsInHandler.size() == 1); // the behaviour runs after the run is recorded
            String traceId = request.getSpanContext().getTraceId();
            assertEquals("the handler runs in the producer's trace (its headers: "
                    + handler.runsOfJob("traced-1").get(0).headers() + "; spans: " + exported.spans + ")",
                    List.of(traceId), traceIdsInHandler);
            assertTrue(handler.runsOfJob("traced-1").get(0).header("traceparent").contains(traceId));
            await("both spans ended", () -> exported.spans.size() == 3);
            SpanData published = exported.named("publish otel");
            SpanData processed = exported.named("process otel");
            assertEquals(SpanKind.PRODUCER, published.getKind());
            assertEquals(request.getSpanContext().getSpanId(), published.getParentSpanId());
            assertEquals(SpanKind.CONSUMER, processed.getKind());
            assertEquals(published.getSpanId(), processed.getParentSpanId());
        } finally {
            registration.unregister();
        }

        await("the tracer leaves with the OpenTelemetry service",
                () -> bundleContext.getServiceReference(JobsTracer.class) == null);
        jobs().push(Message.builder("otel.job").id("untraced-1").pipeline("otel").build());
        await("ran", () -> handler.runsOf("untraced-1") == 1);
        assertNull("no trace context on a job pushed without a tracer",
                handler.runsOfJob("untraced-1").get(0).header("traceparent"));
        assertEquals(3, exported.spans.size());
    }
}
