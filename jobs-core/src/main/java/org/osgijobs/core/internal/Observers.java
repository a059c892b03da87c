package org.osgijobs.core.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.monitor.JobsObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobsObserver} services, told of pushes and runs on the thread that completed them, outside every lock
 * of the runtime. An observer that throws is warned of once and otherwise ignored: it never fails a push or a run.
 */
final class Observers {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private final List<JobsObserver> observers = new CopyOnWriteArrayList<>();
    private final Set<JobsObserver> warned = ConcurrentHashMap.newKeySet();

    void add(JobsObserver observer) {
        observers.add(observer);
    }

    void remove(JobsObserver observer) {
        observers.remove(observer);
        warned.remove(observer);
    }

    void pushed(String pipeline, long latencyNanos) {
        for (JobsObserver o : observers) {
            try {
                o.pushed(pipeline, latencyNanos);
            } catch (RuntimeException e) {
                failed(o, e);
            }
        }
    }

    void pushFailed(String pipeline, long latencyNanos, JobsException.Kind kind) {
        for (JobsObserver o : observers) {
            try {
                o.pushFailed(pipeline, latencyNanos, kind);
            } catch (RuntimeException e) {
                failed(o, e);
            }
        }
    }

    void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
        for (JobsObserver o : observers) {
            try {
                o.ran(pipeline, jobName, runNanos, succeeded);
            } catch (RuntimeException e) {
                failed(o, e);
            }
        }
    }

    private void failed(JobsObserver observer, RuntimeException e) {
        if (warned.add(observer)) {
            LOG.warn("jobs observer {} failed (warned once; it goes on being called)", observer, e);
        }
    }
}
