package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PushResult;

/** Ordering through the whole runtime: priority first, then the order of pushes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PriorityOrderIT extends ItestSupport {
    private static final int JOBS = 10_000;

    @Test
    public void tenThousandJobsThroughOneWorkerComeOutByPriorityThenFifo() {
        Jobs jobs = jobs();
        setConfig(JOBS_PID, Map.of("num_workers", 1));
        RuntimeThreads.awaitWorkers(1);
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "order.job");
        declare(memoryPipeline("order"));

        // pushed while paused, so that every job is waiting when the single worker starts
        Random random = new Random(20261129);
        List<Message> messages = new ArrayList<>(JOBS);
        for (int i = 0; i < JOBS; i++) {
            messages.add(Message.builder("order.job").pipeline("order").priority(1 + random.nextInt(5))
                    .payload(Integer.toString(i)).build());
        }
        List<PushResult> results = jobs.pushBatch(messages);
        assertEquals("every push accepted", List.of(), results.stream().filter(r -> !r.ok()).toList());
        awaitState("order", "all jobs waiting", s -> s.active() == JOBS);

        jobs.resume("order");

        await("all jobs ran", () -> handler.count() == JOBS);
        List<RecordingHandler.Run> runs = handler.runs();
        for (int i = 1; i < runs.size(); i++) {
            RecordingHandler.Run previous = runs.get(i - 1);
            RecordingHandler.Run next = runs.get(i);
            if (next.priority() < previous.priority()) {
                throw new AssertionError("run " + i + " has priority " + next.priority() + " after a job of priority "
                        + previous.priority() + " (payloads " + previous.payload() + ", " + next.payload() + ")");
            }
            if (next.priority() == previous.priority()
                    && Integer.parseInt(next.payload()) < Integer.parseInt(previous.payload())) {
                throw new AssertionError("run " + i + ": among priority " + next.priority() + ", job pushed as #"
                        + next.payload() + " ran after job #" + previous.payload() + " (not FIFO)");
            }
        }
        assertEquals("each job ran exactly once", JOBS, handler.runsById().size());
        assertEquals("one worker: never two runs at once", 1, handler.mostRunningAtOnce());
    }
}
