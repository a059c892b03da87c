package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

/** With EventAdmin present, the runtime posts events under {@code jobs/*} topics. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventsIT extends ItestSupport {

    @Test
    public void pipelineLifecycleEvents() {
        EventRecorder events = EventRecorder.start(this);

        declare(memoryPipeline("events"));
        jobs().resume("events");
        jobs().pause("events");
        jobs().destroy("events");

        List<String> expected = List.of("jobs/pipeline/CREATED", "jobs/pipeline/RESUMED", "jobs/pipeline/PAUSED",
                "jobs/pipeline/DESTROYED");
        await("the four lifecycle events of pipeline 'events'; got " + events.topics(), () -> topicsOf(events, "events")
                .containsAll(expected));
        assertEquals("in order", expected, topicsOf(events, "events").stream().filter(expected::contains).toList());
    }

    @Test
    public void jobFailureEventsNameTheJobAndItsAttempt() {
        EventRecorder events = EventRecorder.start(this);
        registerHandler(new RecordingHandler(job -> {
            throw new IllegalArgumentException("bad payload");
        }), "event.job");
        declare(memoryPipeline("job-events", "max_attempts", "2", "retry_delay", "0"));
        jobs().resume("job-events");

        String id = push("job-events", "event.job", "");

        await("a RETRIED then a FAILED event for the job; got " + events.topics(),
                () -> has(events, "jobs/job/RETRIED", id, 1) && has(events, "jobs/job/FAILED", id, 2));
        Event failed = events.matching(e -> e.getTopic().equals("jobs/job/FAILED") && id.equals(e.getProperty("job.id")))
                .get(0);
        assertEquals("job-events", failed.getProperty("pipeline"));
        assertEquals("event.job", failed.getProperty("job.name"));
        assertEquals("the reason names the failure", true,
                String.valueOf(failed.getProperty("reason")).contains("bad payload"));
    }

    private static boolean has(EventRecorder events, String topic, String jobId, int attempt) {
        return !events.matching(e -> e.getTopic().equals(topic) && jobId.equals(e.getProperty("job.id"))
                && Integer.valueOf(attempt).equals(e.getProperty("attempt"))).isEmpty();
    }

    private static List<String> topicsOf(EventRecorder events, String pipeline) {
        return events.matching(e -> pipeline.equals(e.getProperty("pipeline"))).stream().map(Event::getTopic)
                .toList();
    }
}
