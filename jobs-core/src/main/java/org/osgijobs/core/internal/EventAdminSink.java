package org.osgijobs.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts the runtime's events to EventAdmin under {@code jobs/*} topics. The EventAdmin package is an optional
 * import: without it this component never becomes satisfied (SCR does not load its class) and the runtime posts
 * nothing.
 */
@Component(service = EventSink.class)
public final class EventAdminSink implements EventSink {
    private final EventAdmin eventAdmin;

    @Activate
    public EventAdminSink(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        eventAdmin.postEvent(new Event(TOPIC_ROOT + topic, properties));
    }
}
