package org.osgijobs.examples.internal;

import org.osgi.service.component.annotations.Component;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles jobs named {@code fail}: throws, so that the pipeline's retries and dead-letter pipeline can be seen
 * at work. With an empty payload every attempt fails; with a number {@code n} as the payload, attempts before the
 * {@code n}-th fail and the {@code n}-th succeeds.
 */
@Component(service = JobHandler.class, property = JobHandler.JOB_NAME + "=fail")
public final class FailJobHandler implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FailJobHandler.class);

    @Override
    public void handle(JobContext job) {
        int succeedOn = succeedingAttempt(job.payloadAsString().trim());
        if (succeedOn > 0 && job.attempt() >= succeedOn) {
            LOG.info("job fail id={}: attempt {} succeeds", job.id(), job.attempt());
            return;
        }
        LOG.info("job fail id={}: attempt {} fails on purpose", job.id(), job.attempt());
        throw new ExampleFailure("job fail id=" + job.id() + " failed on purpose at attempt " + job.attempt()
                + (succeedOn > 0 ? ", will succeed at attempt " + succeedOn : ""));
    }

    /** @return the attempt that succeeds, or 0 when every attempt fails */
    static int succeedingAttempt(String payload) {
        if (payload.isEmpty()) {
            return 0;
        }
        try {
            int attempt = Integer.parseInt(payload);
            if (attempt >= 1) {
                return attempt;
            }
        } catch (NumberFormatException e) {
            // reported below, like any other unusable payload
        }
        throw new IllegalArgumentException("fail job: payload must be empty or the attempt (1 or more) that "
                + "succeeds, got " + JobDescription.shorten(payload));
    }

    /** The failure this handler throws on purpose. */
    static final class ExampleFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExampleFailure(String message) {
            super(message);
        }
    }
}
