package org.osgijobs.driver.beanstalk.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgijobs.api.Message;

/**
 * A job as a beanstalkd job body: RoadRunner's item in gob ({@link ItemCodec}). Writing fills the item as
 * RoadRunner's producer does; reading applies the consuming pipeline's defaults, and takes a body that is not such an
 * item as a foreign message (its bytes are the payload).
 */
final class WireFormat {
    static final String DEDUCED_NAME = "deduced_by_rr";

    /**
     * A job read from a body.
     *
     * @param foreign  the body was not RoadRunner's item: {@link #payload()} is the raw body
     * @param problems the fields that took a default, and why; empty when none
     */
    record Decoded(String name, String id, byte[] payload, Map<String, List<String>> headers, long priority,
            int delay, boolean autoAck, boolean foreign, List<String> problems) {
    }

    private WireFormat() {
    }

    /**
     * @param message  the job
     * @param pipeline the pipeline's name (RoadRunner's {@code Options.Pipeline})
     * @param priority the job's priority (resolved against the pipeline's)
     * @param delay    the delay in seconds
     * @param headers  the job's headers
     * @return the body
     */
    static byte[] encode(Message message, String pipeline, long priority, int delay,
            Map<String, List<String>> headers) {
        return ItemCodec.encode(new WireItem(message.name(), message.id(), message.payload(), headers,
                new WireItem.Options(priority, pipeline, delay, message.autoAck(), "")));
    }

    /**
     * @param body             a reserved job's body
     * @param tube             the tube it came from
     * @param beanstalkId      its beanstalkd id (gives a foreign message a stable id across redeliveries)
     * @param pipelinePriority the consuming pipeline's priority
     * @return the job
     */
    static Decoded decode(byte[] body, String tube, long beanstalkId, long pipelinePriority) {
        ItemCodec.Read read;
        try {
            read = ItemCodec.decode(body);
        } catch (GobException e) {
            return new Decoded(DEDUCED_NAME, fallbackId(tube, beanstalkId), body, Map.of(), pipelinePriority, 0,
                    false, true, List.of());
        }
        List<String> problems = new ArrayList<>(read.problems());
        WireItem item = read.item();
        String name = item.job();
        if (name.isBlank()) {
            problems.add("field Job is empty (named " + DEDUCED_NAME + ")");
            name = DEDUCED_NAME;
        }
        String id = item.ident();
        if (id.isEmpty()) {
            problems.add("field Ident is empty (a new id)");
            id = fallbackId(tube, beanstalkId);
        }
        long priority = pipelinePriority;
        int delay = 0;
        boolean autoAck = false;
        WireItem.Options o = item.options();
        if (o != null) {
            if (o.priority() < 0) {
                problems.add("field Options.Priority is negative (" + o.priority() + "): the pipeline's is used");
            } else if (o.priority() > 0) {
                priority = o.priority(); // 0 means the pipeline's, as on push
            }
            if (o.delay() < 0 || o.delay() > Integer.MAX_VALUE) {
                problems.add("field Options.Delay is out of range (" + o.delay() + "): 0 is used");
            } else {
                delay = (int) o.delay();
            }
            autoAck = o.autoAck();
        }
        Map<String, List<String>> headers = item.headers() == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(item.headers()));
        return new Decoded(name, id, item.payload(), headers, priority, delay, autoAck, false,
                Collections.unmodifiableList(problems));
    }

    private static String fallbackId(String tube, long beanstalkId) {
        return UUID.nameUUIDFromBytes((tube + "#" + Long.toUnsignedString(beanstalkId))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
