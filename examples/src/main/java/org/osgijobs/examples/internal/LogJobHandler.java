package org.osgijobs.examples.internal;

import org.osgi.service.component.annotations.Component;
import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Handles jobs named {@code log}: writes one log line describing the job, then acknowledges it. */
@Component(service = JobHandler.class, property = JobHandler.JOB_NAME + "=log")
public final class LogJobHandler implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogJobHandler.class);

    @Override
    public void handle(JobContext job) {
        LOG.info("{}", JobDescription.of(job));
    }
}
