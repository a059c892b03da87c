package org.osgijobs.api.monitor;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.Message;
import org.osgijobs.api.handler.JobContext;

/**
 * A whiteboard service that puts pushes and runs into a distributed trace, as RoadRunner does with OpenTelemetry
 * (the {@code jobs-opentelemetry} bundle is one). The runtime uses one tracer: the one with the highest
 * {@code service.ranking}.
 * <ul>
 * <li>{@link #pushing} is called on the producer's thread before the job goes to its driver. The headers of the
 * span it returns are added to the job (the W3C {@code traceparent} and {@code tracestate}, which travel with the
 * job through the broker, retries, requeues and dead-lettering), and the span is ended when the push completes, on
 * whichever thread completes it.</li>
 * <li>{@link #running} is called on the worker's thread right before the handler runs; the span it returns is the
 * current one for the handler's own code, and is ended on the same thread right after the handler returns or
 * throws.</li>
 * </ul>
 * Both must return at once and should not throw: an exception is logged once and the job goes on untraced.
 */
@ConsumerType
public interface JobsTracer {

    /**
     * @param message the job being pushed, its pipeline named
     * @return the push's span
     */
    PushSpan pushing(Message message);

    /**
     * @param pipeline the pipeline the job came from
     * @param job      the job about to run
     * @return the run's span, current until it ends
     */
    RunSpan running(String pipeline, JobContext job);

    /** The span of one push. */
    @ConsumerType
    interface PushSpan {
        /** @return headers to add to the job (its trace context); empty for none */
        Map<String, List<String>> headers();

        /** @param failure why the push failed, or {@code null} when the driver stored the job */
        void end(Throwable failure);
    }

    /** The span of one run. */
    @ConsumerType
    interface RunSpan {
        /** @param failure what the handler threw, or {@code null} when it returned */
        void end(Throwable failure);
    }
}
