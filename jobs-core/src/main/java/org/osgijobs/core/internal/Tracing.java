package org.osgijobs.core.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgijobs.api.Message;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.monitor.JobsTracer;
import org.osgijobs.api.monitor.JobsTracer.PushSpan;
import org.osgijobs.api.monitor.JobsTracer.RunSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobsTracer} the runtime uses, if any: spans around pushes and runs. Without a tracer it costs a volatile
 * read; a tracer that throws is warned of once and the job goes on untraced.
 */
final class Tracing {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final RunSpan NO_RUN_SPAN = failure -> { };

    private volatile JobsTracer tracer;
    private final Set<JobsTracer> warned = ConcurrentHashMap.newKeySet();

    void use(JobsTracer newTracer) {
        tracer = newTracer;
    }

    /** Forgets the tracer if it is the one in use. */
    void forget(JobsTracer gone) {
        if (tracer == gone) {
            tracer = null;
        }
        warned.remove(gone);
    }

    /** A push with its span: the message carries the span's headers; {@link #end} is called once. */
    record Push(Message message, PushSpan span) {
        void end(Throwable failure) {
            if (span != null) {
                try {
                    span.end(failure);
                } catch (RuntimeException e) {
                    LOG.warn("the jobs tracer failed to end the span of a push of job {}", message.id(), e);
                }
            }
        }
    }

    Push push(Message message) {
        JobsTracer t = tracer;
        if (t == null || message == null) {
            return new Push(message, null);
        }
        PushSpan span;
        try {
            span = t.pushing(message);
        } catch (RuntimeException e) {
            failed(t, e);
            return new Push(message, null);
        }
        if (span == null) {
            return new Push(message, null);
        }
        Map<String, List<String>> extra = span.headers();
        if (extra == null || extra.isEmpty()) {
            return new Push(message, span);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(message.headers());
        headers.putAll(extra);
        return new Push(message.toBuilder().headers(headers).build(), span);
    }

    /** @return the run's span, to end on the same thread once the handler is done */
    RunSpan run(String pipeline, JobContext job) {
        JobsTracer t = tracer;
        if (t == null) {
            return NO_RUN_SPAN;
        }
        try {
            RunSpan span = t.running(pipeline, job);
            return span == null ? NO_RUN_SPAN : guarded(t, span);
        } catch (RuntimeException e) {
            failed(t, e);
            return NO_RUN_SPAN;
        }
    }

    private RunSpan guarded(JobsTracer t, RunSpan span) {
        return failure -> {
            try {
                span.end(failure);
            } catch (RuntimeException e) {
                failed(t, e);
            }
        };
    }

    private void failed(JobsTracer t, RuntimeException e) {
        if (warned.add(t)) {
            LOG.warn("jobs tracer {} failed (warned once; jobs go on, untraced where it fails)", t, e);
        }
    }
}
