package org.osgijobs.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * An EventAdmin {@link EventHandler} that keeps every event it receives, for assertions.
 * <p>
 * {@link ItestSupport} does not mention this class in its signatures, so that tests in a framework without
 * EventAdmin can still load it.
 */
public final class EventRecorder implements EventHandler {
    private final List<Event> events = new ArrayList<>();

    /**
     * Registers a recorder for the runtime's topics ({@code jobs/*}) from a test; it is unregistered after the
     * test.
     *
     * @param test the running test
     * @return the recorder
     */
    public static EventRecorder start(ItestSupport test) {
        EventRecorder recorder = new EventRecorder();
        test.register(EventHandler.class, recorder, Map.of(EventConstants.EVENT_TOPIC, "jobs/*"));
        return recorder;
    }

    @Override
    public void handleEvent(Event event) {
        synchronized (events) {
            events.add(event);
        }
    }

    /** @return the events so far, in arrival order */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * @param topic an exact topic
     * @return the events of that topic so far
     */
    public List<Event> events(String topic) {
        return events().stream().filter(e -> e.getTopic().equals(topic)).toList();
    }

    /**
     * @param topic    an exact topic
     * @param property an event property
     * @param value    its expected value
     * @return {@code true} when such an event arrived
     */
    public boolean has(String topic, String property, Object value) {
        return matching(e -> e.getTopic().equals(topic) && value.equals(e.getProperty(property))).size() > 0;
    }

    /**
     * @param filter a condition on events
     * @return the events that satisfy it
     */
    public List<Event> matching(Predicate<Event> filter) {
        return events().stream().filter(filter).toList();
    }

    /** @return the topics received so far, in arrival order, for failure messages */
    public List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (Event e : events()) {
            topics.add(e.getTopic() + (e.getProperty("pipeline") != null ? "(" + e.getProperty("pipeline") + ")"
                    : ""));
        }
        return topics;
    }
}
