package org.osgijobs.examples.internal;

import org.osgijobs.api.handler.JobContext;

/** A one-line, human-readable summary of a job, with the payload shortened so a log line stays readable. */
final class JobDescription {
    /** Payload characters shown before the rest is elided. */
    static final int MAX_PAYLOAD_CHARS = 200;

    private JobDescription() {
    }

    static String of(JobContext job) {
        return "job " + job.name() + " id=" + job.id() + " pipeline=" + job.pipeline() + " priority="
                + job.priority() + " attempt=" + job.attempt() + " headers=" + job.headers() + " payload="
                + shorten(job.payloadAsString());
    }

    static String shorten(String payload) {
        if (payload.length() <= MAX_PAYLOAD_CHARS) {
            return "'" + payload + "'";
        }
        return "'" + payload.substring(0, MAX_PAYLOAD_CHARS) + "'... (" + payload.length() + " chars)";
    }
}
