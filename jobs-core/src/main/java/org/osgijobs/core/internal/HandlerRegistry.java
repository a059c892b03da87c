package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgijobs.api.handler.JobHandler;

/**
 * The {@link JobHandler} services by job name. Lookups read an immutable snapshot (no lock on the hot path);
 * changes rebuild it under the registry's monitor.
 */
final class HandlerRegistry {

    /** One registered handler with what orders it. */
    record Registration(JobHandler handler, List<String> names, int ranking, long serviceId) {
    }

    private static final Comparator<Registration> BEST_FIRST = Comparator
            .comparingInt(Registration::ranking).reversed().thenComparingLong(Registration::serviceId);

    private final List<Registration> registrations = new ArrayList<>();
    private volatile Map<String, Registration> byName = Map.of();
    private volatile Registration any;

    /** Reads a handler's service properties into a registration. */
    static Registration registration(JobHandler handler, Map<String, ?> props) {
        List<String> names = RuntimeSettings.strings(props.get(JobHandler.JOB_NAME));
        Object ranking = props.get(Constants.SERVICE_RANKING);
        Object id = props.get(Constants.SERVICE_ID);
        return new Registration(handler, List.copyOf(names), ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE);
    }

    synchronized void add(Registration registration) {
        registrations.add(registration);
        rebuild();
    }

    synchronized void remove(JobHandler handler) {
        registrations.removeIf(r -> r.handler() == handler);
        rebuild();
    }

    /**
     * @param jobName a job's name
     * @return the best handler for it: the highest ranking among those naming it exactly, else among {@code *}
     *         handlers; {@code null} when there is none
     */
    Registration select(String jobName) {
        Registration exact = byName.get(jobName);
        return exact != null ? exact : any;
    }

    private void rebuild() {
        List<Registration> sorted = new ArrayList<>(registrations);
        sorted.sort(BEST_FIRST);
        Map<String, Registration> names = new HashMap<>();
        Registration wildcard = null;
        for (Registration r : sorted) {
            for (String name : r.names()) {
                if (JobHandler.ANY.equals(name)) {
                    if (wildcard == null) {
                        wildcard = r;
                    }
                } else {
                    names.putIfAbsent(name, r);
                }
            }
        }
        byName = Map.copyOf(names);
        any = wildcard;
    }
}
