package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Job;
import org.osgijobs.testing.TestQueue;

/** Listing the stored jobs and taking one out ({@code Browsable}), as an operator does with dead letters. */
public class MemoryDriverBrowseTest extends DriverTestSupport {

    private static List<String> ids(List<Message> jobs) {
        return jobs.stream().map(Message::id).toList();
    }

    @Test
    public void theWaitingJobsAreListedInTheOrderTheyWouldRunAndNothingChanges() {
        TestQueue queue = new TestQueue(PIPELINE, 100);
        MemoryDriver driver = driver(queue, "priority", "3");
        push(driver, msg("a", 5));
        push(driver, msg("b", 1));
        push(driver, message("later").delay(60).build());
        push(driver, msg("c", 5));
        push(driver, msg("d")); // the pipeline's priority 3

        List<Message> listed = driver.waiting(10);
        assertEquals(List.of("b", "d", "a", "c", "later"), ids(listed));
        assertEquals("the effective priority", 3, listed.get(1).priority());
        int left = listed.get(4).delay();
        assertTrue("what is left of the delay: " + left, left > 55 && left <= 60);
        assertEquals(List.of("b", "d"), ids(driver.waiting(2)));

        driver.run(pipeline("priority", "3"));
        assertEquals("listing took nothing away", List.of("b", "d", "a", "c"), names(queue.drain()));
    }

    @Test
    public void aRemovedJobIsGoneForGoodAndItsPlaceIsFreed() throws Exception {
        TestQueue queue = new TestQueue(PIPELINE, 100);
        MemoryDriver driver = driver(queue, "max_jobs", "3", "timeout", "30");
        pushAll(driver, "a", "b");
        push(driver, message("c").delay(60).build());
        CompletableFuture<Void> waitingForRoom = driver.push(msg("d")).toCompletableFuture();
        assertTrue("the pipeline is full", !waitingForRoom.isDone());

        Optional<Message> removed = driver.remove("b");
        assertEquals("b", removed.orElseThrow().id());
        waitingForRoom.get(5, java.util.concurrent.TimeUnit.SECONDS); // the room it left takes the waiting push
        assertEquals(Optional.of("c"), driver.remove("c").map(Message::id));
        assertEquals(Optional.empty(), driver.remove("b"));
        assertEquals(Optional.empty(), driver.remove("nobody"));
        assertEquals(new State(PIPELINE, "memory", PIPELINE, 2, 0, 0, false, 10, ""), driver.state());

        driver.run(pipeline());
        List<Job> ran = queue.drain();
        assertEquals(List.of("a", "d"), names(ran));
    }

    @Test
    public void jobsWithdrawnAtAPauseAreListedAgainInOrder() {
        TestQueue queue = new TestQueue(PIPELINE, 100);
        MemoryDriver driver = running(queue);
        pushAll(driver, "a", "b", "c");
        assertEquals("handed to the runtime's queue: not the driver's to list", List.of(), driver.waiting(10));
        driver.pause(PIPELINE);
        assertEquals(List.of("a", "b", "c"), ids(driver.waiting(10)));
        assertEquals("b", driver.remove("b").orElseThrow().id());
        assertEquals(List.of("a", "c"), ids(driver.waiting(10)));
    }
}
