package org.osgijobs.itests.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/**
 * Kafka pipelines on Felix: the embedded client resolves and runs (its classes loaded by name from the bundle),
 * from configuration (jobs.kafka and a pipeline file's flattened options), declared, delayed, with bad options.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KafkaPipelinesIT extends KafkaItestSupport {

    @Test
    public void aConfiguredPipelineWithFlattenedOptionsProcessesItsPushesOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        setConfig("jobs.kafka", Map.of("brokers", new String[] {HOST + ":" + PORT}, "ping.timeout", "5s"));
        String topic = unique("it-cfg");
        createPipelineConfig("kafka-cfg", Map.of("driver", "kafka", "consumer_options.topics", topic,
                "group_options.group_id", unique("it-group"), "auto_create_topics_enable", true,
                "topic_partitions", 3, "priority", 3, "prefetch", 20,
                "producer_options.required_acks", "AllISRAck"));
        State s = awaitState("kafka-cfg", "consuming", st -> st.ready() && st.errorMessage().isEmpty());
        assertEquals(topic, s.queue());
        assertEquals(3, s.priority());
        for (int i = 0; i < 50; i++) {
            jobs().push(Message.builder("cfg.job").pipeline("kafka-cfg").payload("p" + i).build());
        }
        await("50 jobs handled", () -> handler.count() >= 50);
        assertHoldsFor("each once", java.time.Duration.ofMillis(500), () -> handler.count() == 50);
    }

    @Test
    public void aDelayedJobRunsAfterItsDelay() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "later.job");
        declare(kafkaPipeline("kafka-delay"));
        jobs().resume("kafka-delay");
        awaitState("kafka-delay", "consuming", st -> st.ready() && st.errorMessage().isEmpty());
        long pushed = System.nanoTime();
        jobs().push(Message.builder("later.job").pipeline("kafka-delay").delay(2).build());
        await("the delayed job ran", () -> handler.count() == 1);
        long waited = (System.nanoTime() - pushed) / 1_000_000;
        assertTrue("ran after " + waited + " ms", waited >= 2000);
    }

    @Test
    public void aBadOptionIsAPipelineErrorNamingIt() {
        // the runtime learns of the driver asynchronously: until then the error is "unknown driver"
        String message = awaitValue("the kafka driver's own error", () -> expectThrows(JobsException.class,
                () -> declare(kafkaPipeline("kafka-bad", "producer_options.required_acks", "Most"))).getMessage(),
                m -> !m.contains("unknown driver"));
        assertTrue(message, message.contains("'producer_options.required_acks'") && message.contains("'Most'"));
    }
}
