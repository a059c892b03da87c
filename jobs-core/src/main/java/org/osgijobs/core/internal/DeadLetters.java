package org.osgijobs.core.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.handler.JobContext;

/** What running a dead-lettered job again means for the job: where it goes, and which headers it leaves behind. */
final class DeadLetters {
    /** The headers the runtime wrote while the job failed: a job run again starts clean, at attempt 1. */
    private static final Set<String> FAILURE_HEADERS = Set.of(PipelineAdmin.DEAD_LETTER_FROM_HEADER,
            PipelineAdmin.ERROR_HEADER, JobContext.ATTEMPT_HEADER, Dispatcher.NO_HANDLER_ROUNDS_HEADER);

    private DeadLetters() {
    }

    /** @return the pipeline the job failed in, or {@code null} when it carries no dead-letter header */
    static String origin(Message letter) {
        List<String> from = letter.headers().get(PipelineAdmin.DEAD_LETTER_FROM_HEADER);
        return from == null || from.isEmpty() || from.get(0).isBlank() ? null : from.get(0);
    }

    /** @return the job as it is pushed into its pipeline again: the same id, name, payload and priority */
    static Message again(Message letter, String origin) {
        Map<String, List<String>> headers = new LinkedHashMap<>(letter.headers());
        headers.keySet().removeAll(FAILURE_HEADERS);
        return letter.toBuilder().pipeline(origin).headers(headers).delay(0).build();
    }
}
