package org.osgijobs.driver.kafka.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** Moves a consumer to where RoadRunner's offset specs say consuming starts, for partitions without a commit. */
final class Starts {
    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private Starts() {
    }

    static void seek(Consumer<?, ?> consumer, Map<TopicPartition, OffsetSpec> starts) {
        if (starts.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetSpec> e : starts.entrySet()) {
            TopicPartition tp = e.getKey();
            OffsetSpec spec = e.getValue();
            switch (spec.type()) {
                case AT_START:
                    consumer.seekToBeginning(List.of(tp));
                    break;
                case AT_END:
                    consumer.seekToEnd(List.of(tp));
                    break;
                case AT:
                case WITH_EPOCH:
                    consumer.seek(tp, Math.max(0, spec.value()));
                    break;
                case AFTER_MILLI:
                    times.put(tp, spec.value());
                    break;
                case RELATIVE:
                    long base = spec.value() < 0 ? consumer.endOffsets(List.of(tp), LOOKUP).get(tp)
                            : consumer.beginningOffsets(List.of(tp), LOOKUP).get(tp);
                    long low = consumer.beginningOffsets(List.of(tp), LOOKUP).get(tp);
                    consumer.seek(tp, Math.max(low, base + spec.value()));
                    break;
                default:
                    throw new IllegalStateException("unknown offset type " + spec.type());
            }
        }
        if (!times.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, LOOKUP);
            times.keySet().forEach(tp -> {
                OffsetAndTimestamp at = found.get(tp);
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            });
        }
    }
}
