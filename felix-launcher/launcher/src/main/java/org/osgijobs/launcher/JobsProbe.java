package org.osgijobs.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Reads the job runtime's {@code org.osgijobs.api.Jobs} service from outside the framework. The API bundle is
 * not on the launcher's class path (sharing it would pin its version), so its methods and records are read
 * through reflection on the interface the service's bundle sees.
 */
final class JobsProbe implements AutoCloseable {
    static final String JOBS = "org.osgijobs.api.Jobs";

    /**
     * A pipeline as {@code Jobs.stat()} reports it.
     *
     * @param name      the pipeline
     * @param driver    its driver's name
     * @param consuming {@code true} while it consumes
     * @param priority  its priority
     * @param error     why it does not work, or empty
     */
    record PipelineState(String name, String driver, boolean consuming, long priority, String error) {
        @Override
        public String toString() {
            return name + " (" + driver + ", " + (error.isEmpty() ? consuming ? "consuming" : "paused" : error)
                    + ")";
        }
    }

    /**
     * What a pipeline still has to do, from {@code Jobs.stats(name)}.
     *
     * @param processed jobs handled successfully so far
     * @param queued    jobs waiting
     * @param inFlight  jobs running
     * @param delayed   jobs waiting for their delay
     */
    record Backlog(long processed, long queued, long inFlight, long delayed) {
        boolean empty() {
            return queued == 0 && inFlight == 0 && delayed == 0;
        }
    }

    private final ServiceTracker<Object, Object> tracker;

    JobsProbe(BundleContext context) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context, context.createFilter("(objectClass=" + JOBS + ")"), null);
        tracker.open(true);
    }

    /** @return every pipeline's state, or empty while the runtime is not there */
    Optional<List<PipelineState>> pipelines() {
        return call("stat", new Class<?>[0]).map(result -> {
            List<PipelineState> states = new ArrayList<>();
            for (Object state : (List<?>) result) {
                states.add(new PipelineState((String) read(state, "pipeline"), (String) read(state, "driver"),
                        (Boolean) read(state, "ready"), (Long) read(state, "priority"),
                        (String) read(state, "errorMessage")));
            }
            return states;
        });
    }

    /**
     * @param pipeline a pipeline name
     * @return its backlog, or empty while the runtime is not there
     * @throws RuntimeException the runtime's error, e.g. for an unknown pipeline
     */
    Optional<Backlog> backlog(String pipeline) {
        return call("stats", new Class<?>[] { String.class }, pipeline)
                .map(s -> new Backlog((Long) read(s, "processed"), (Long) read(s, "queued"),
                        (Long) read(s, "inFlight"), (Long) read(s, "delayed")));
    }

    private Optional<Object> call(String method, Class<?>[] types, Object... args) {
        ServiceReference<Object> reference = tracker.getServiceReference();
        Object jobs = reference == null ? null : tracker.getService(reference);
        if (jobs == null) {
            return Optional.empty();
        }
        try {
            Class<?> api = reference.getBundle().loadClass(JOBS);
            return Optional.ofNullable(api.getMethod(method, types).invoke(jobs, args));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("Jobs." + method + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IllegalStateException e) {
            // the service's bundle went away between the lookup and the call: as if it were not there
            return Optional.empty();
        }
    }

    private static Object read(Object record, String component) {
        try {
            Method accessor = record.getClass().getMethod(component);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the jobs API has no " + record.getClass().getSimpleName() + "."
                    + component + "(): launcher and jobs-api versions do not match", e);
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
