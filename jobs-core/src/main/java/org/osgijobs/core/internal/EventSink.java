package org.osgijobs.core.internal;

import java.util.Map;

/**
 * Where the runtime reports what happens to pipelines and jobs. Implemented by the EventAdmin bridge when
 * EventAdmin is present; the runtime does nothing without it.
 */
interface EventSink {

    /** Topic prefix of every event. */
    String TOPIC_ROOT = "jobs/";

    /**
     * Posts an event asynchronously; never blocks the caller for delivery.
     *
     * @param topic      below {@value #TOPIC_ROOT}, e.g. {@code pipeline/CREATED}
     * @param properties event properties
     */
    void post(String topic, Map<String, Object> properties);
}
