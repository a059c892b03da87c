package org.osgijobs.core.internal;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the runtime's events to EventAdmin under {@code jobs/*} topics, when an EventAdmin is there; without one,
 * events go nowhere. EventAdmin is optional in every sense: its package is an optional import, the reference is
 * optional and dynamic, and this class names no EventAdmin type in a signature (SCR reflects on them when it
 * activates the component), so the component is active and the bundle shows no unsatisfied component on a
 * framework without EventAdmin (Karaf lists such a bundle as "Waiting"). The EventAdmin types are used only by
 * {@link EventAdminPoster}, loaded with the first event posted while an EventAdmin is bound.
 * <p>
 * Events are handed to EventAdmin by one thread of this sink, in the order the runtime reported them: EventAdmin
 * keeps the order of the events of one posting thread only, and the runtime reports from several (a pipeline is
 * created on the caller's thread and destroyed on its lane).
 */
@Component(service = EventSink.class)
public final class EventAdminSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventAdminSink.class);
    private static final String REFERENCE = "eventAdmin";

    private final ComponentContext context;
    private final AtomicBoolean unwiredReported = new AtomicBoolean();
    /** The bound EventAdmin, typed Object so that this class loads without the EventAdmin package. */
    private volatile Object eventAdmin;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jobs-events");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public EventAdminSink(ComponentContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        sender.shutdown();
    }

    @Reference(name = REFERENCE, service = EventAdmin.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEventAdmin")
    void bindEventAdmin(ServiceReference<?> reference) {
        eventAdmin = context.locateService(REFERENCE, reference);
    }

    void unbindEventAdmin(ServiceReference<?> reference) {
        eventAdmin = null;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        if (eventAdmin == null) {
            return;
        }
        try {
            sender.execute(() -> send(TOPIC_ROOT + topic, properties));
        } catch (RejectedExecutionException e) {
            // deactivated: the runtime is going, its last events with it
        }
    }

    private void send(String topic, Map<String, Object> properties) {
        Object admin = eventAdmin;
        if (admin == null) {
            return;
        }
        try {
            EventAdminPoster.post(admin, topic, properties);
        } catch (NoClassDefFoundError e) {
            // an EventAdmin arrived after this bundle was resolved without its package: a refresh wires it
            if (unwiredReported.compareAndSet(false, true)) {
                LOG.warn("EventAdmin is there but jobs-core was resolved without its package: no jobs/* events "
                        + "until jobs-core is refreshed ({})", e.toString());
            }
        }
    }
}
