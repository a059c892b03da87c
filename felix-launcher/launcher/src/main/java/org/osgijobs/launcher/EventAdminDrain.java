package org.osgijobs.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets Felix EventAdmin deliver what was posted before it stops, so that its stop interrupts no delivery.
 *
 * <p>EventAdmin turns every bundle, service and log event into an OSGi event and delivers it on its own threads,
 * whether or not a handler wants it; the bundles that stop just before it post a few. Stopping, it shuts its
 * delivery threads down with an interrupt, and one still delivering logs "Event Task Processing Interrupted"
 * (nothing is lost: the thread goes on with its queue). EventAdmin has no setting or API that tells when its queue
 * is empty, so when it is about to stop this listener (run on the thread that stops bundles, so that no other
 * bundle stops meanwhile) waits, for a short while at most, until its delivery threads and the threads that feed
 * its adapters are all idle. Stopping last (see {@code jobs.bundles.level.1}), after the log service, it is fed
 * nothing while it stops.
 */
final class EventAdminDrain implements SynchronousBundleListener {
    static final String EVENT_ADMIN = "org.apache.felix.eventadmin";
    /** How Felix EventAdmin 1.6 names the threads of its asynchronous delivery. */
    private static final String DELIVERY_THREAD = "EventAdminAsyncThread";
    /**
     * The threads that hand EventAdmin's adapters what they post, each with the loop it waits in when idle:
     * Felix's dispatcher of asynchronous bundle and framework events, and Felix Log's delivery of log entries (it
     * logs every service and bundle event as well).
     */
    private static final Map<String, String> FEEDERS = Map.of(
            "FelixDispatchQueue", "org.apache.felix.framework.EventDispatcher.run",
            "FelixLogListener", "org.apache.felix.log.LogListenerThread.run");
    private static final Logger LOG = LoggerFactory.getLogger(EventAdminDrain.class);

    private final Duration limit;

    /** @param limit how long a stop may wait for EventAdmin at most */
    EventAdminDrain(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && EVENT_ADMIN.equals(event.getBundle().getSymbolicName())) {
            long begin = System.nanoTime();
            boolean idle = awaitIdle();
            LOG.debug("waited {} ms for EventAdmin's deliveries{}", (System.nanoTime() - begin) / 1_000_000,
                    idle ? "" : ", which are still busy");
        }
    }

    private boolean awaitIdle() {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            // twice in a row: the dispatcher may hand EventAdmin one more event between two looks
            int idleLooks = 0;
            while (idleLooks < 2) {
                idleLooks = busy() ? 0 : idleLooks + 1;
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(2);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean busy() {
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            String name = thread.getKey().getName();
            // idle: waiting for work in the JDK's pool (delivery) or in the dispatcher's own loop, not in a task
            boolean busy = name.startsWith(DELIVERY_THREAD) && !waitsFor(thread, Optional.empty())
                    || FEEDERS.containsKey(name) && !waitsFor(thread, Optional.of(FEEDERS.get(name)));
            if (busy) {
                return true;
            }
        }
        return false;
    }

    /** Whether the thread waits, untimed, with {@code home} as its first frame outside the JDK. */
    private static boolean waitsFor(Map.Entry<Thread, StackTraceElement[]> thread, Optional<String> home) {
        Optional<String> first = Arrays.stream(thread.getValue()).map(f -> f.getClassName() + "." + f.getMethodName())
                .filter(frame -> !frame.startsWith("java.") && !frame.startsWith("jdk.")).findFirst();
        return thread.getKey().getState() == Thread.State.WAITING && first.equals(home);
    }
}
