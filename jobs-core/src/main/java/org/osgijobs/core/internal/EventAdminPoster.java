package org.osgijobs.core.internal;

import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The only class that uses EventAdmin's types: loaded when an event is posted to a bound EventAdmin. */
final class EventAdminPoster {
    private EventAdminPoster() {
    }

    static void post(Object eventAdmin, String topic, Map<String, Object> properties) {
        ((EventAdmin) eventAdmin).postEvent(new Event(topic, properties));
    }
}
