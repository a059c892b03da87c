package org.osgijobs.driver.jdbc.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.handler.JobContext;

/** The attempt count of a job, kept in its {@value JobContext#ATTEMPT_HEADER} header and the attempt column. */
final class Attempts {

    private Attempts() {
    }

    /** @return the header's attempt, 1 when absent or malformed */
    static int of(Map<String, List<String>> headers) {
        List<String> values = headers.get(JobContext.ATTEMPT_HEADER);
        if (values == null || values.isEmpty()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(values.get(0).trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** @return the headers with the attempt set */
    static Map<String, List<String>> with(Map<String, List<String>> headers, int attempt) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(JobContext.ATTEMPT_HEADER, List.of(Integer.toString(attempt)));
        return copy;
    }
}
