package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.Test;

/** Unknown keys of a pipeline configuration are found, each with the nearest known key. */
public class KnownOptionsTest {

    @Test
    public void aDriverOfThisProjectReportsEveryKeyNeitherItNorTheCoreReads() {
        assertEquals(List.of("'foo' (nearest known key: 'name')", "'priorty' (nearest known key: 'priority')"),
                KnownOptions.unknown("memory", Set.of("name", "driver", "priorty", "foo", "prefetch", "max_jobs")));
        assertEquals(List.of(), KnownOptions.unknown("amqp", Set.of("driver", "queue", "exchange_type",
                "queue_headers.x-max-priority", "publish_window", "wire", "timeout")));
        assertEquals("a memory option is unknown to amqp", List.of("'max_jobs' (nearest known key: 'max_attempts')"),
                KnownOptions.unknown("amqp", Set.of("driver", "max_jobs")));
        assertEquals("kafka's nested options, flattened", List.of("'topic' (nearest known key: 'name')"),
                KnownOptions.unknown("kafka", Set.of("driver", "consumer_options.topics", "group_options.group_id",
                        "producer_options.required_acks", "consumer_properties.fetch.min.bytes", "topic")));
        assertEquals(List.of(), KnownOptions.unknown("jdbc", Set.of("driver", "lease", "poll_interval", "tx_provider",
                "keep_done")));
        assertEquals(List.of(), KnownOptions.unknown("beanstalk", Set.of("driver", "tube", "tube_priority",
                "reserve_timeout", "reserve_connections")));
        assertEquals(List.of(), KnownOptions.unknown("sqs", Set.of("driver", "queue", "wait_time_seconds",
                "attributes.VisibilityTimeout", "tags.team")));
    }

    @Test
    public void aDriverTheCoreDoesNotKnowHearsOnlyOfNearMisses() {
        assertEquals(List.of("'priorty' (nearest known key: 'priority')", "'retry_dely' (nearest known key: "
                + "'retry_delay')"), KnownOptions.unknown("thirdparty", Set.of("driver", "priorty", "retry_dely",
                        "brokers", "topic")));
        assertEquals(List.of(), KnownOptions.unknown(null, Set.of("name", "brokers")));
    }

    @Test
    public void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, KnownOptions.distance("priority", "priority"));
        assertEquals(1, KnownOptions.distance("priorty", "priority"));
        assertEquals(1, KnownOptions.distance("prioritx", "priority"));
        assertEquals(2, KnownOptions.distance("Priorityy", "priority"));
        assertEquals(8, KnownOptions.distance("", "priority"));
    }
}
