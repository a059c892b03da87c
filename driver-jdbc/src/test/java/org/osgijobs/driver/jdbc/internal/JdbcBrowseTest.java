package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.testing.TestQueue;

/** Listing a pipeline's waiting rows and taking one out (the driver is {@code Browsable}), as for dead letters. */
public class JdbcBrowseTest extends JdbcFixture {

    private static List<String> ids(List<Message> jobs) {
        return jobs.stream().map(Message::id).toList();
    }

    @Test
    public void theWaitingRowsAreListedReadyFirstInClaimOrderThenTheDelayedOnes() throws Exception {
        JdbcDriver driver = driver(runtime(), queue());
        push(driver, message("a").priority(5).build());
        push(driver, message("b").priority(1).headers(Map.of("x-jobs-error", List.of("smtp down"))).build());
        push(driver, message("later").delay(60).build());
        push(driver, message("d").priority(5).build());

        List<Message> listed = driver.waiting(10);
        assertEquals(List.of("b", "a", "d", "later"), ids(listed));
        assertEquals(List.of("smtp down"), listed.get(0).headers().get("x-jobs-error"));
        assertEquals(pipeline, listed.get(0).pipeline());
        int left = listed.get(3).delay();
        assertTrue("what is left of the delay: " + left, left > 50 && left <= 60);
        assertEquals(0, listed.get(0).delay());
        assertEquals(List.of("b", "a"), ids(driver.waiting(2)));
        assertEquals("listing changed nothing", List.of("b", "a", "d", "later"), ids(driver.waiting(10)));
    }

    @Test
    public void aRemovedRowIsGoneForGoodAndTheOthersStillRun() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = driver(runtime(), queue);
        push(driver, message("a").payload("the payload".getBytes(StandardCharsets.UTF_8)).build());
        pushAll(driver, "b", "c");

        Optional<Message> removed = driver.remove("b");
        assertEquals("b", removed.orElseThrow().id());
        assertEquals(Optional.empty(), driver.remove("b"));
        assertEquals(Optional.empty(), driver.remove("nobody"));
        assertArrayEquals("the payload".getBytes(StandardCharsets.UTF_8),
                driver.remove("a").orElseThrow().payload());
        assertEquals(List.of("c"), ids(driver.waiting(10)));

        driver.run(pipeline());
        List<Job> ran = take(queue, 1);
        assertEquals(List.of("c"), names(ran));
    }

    @Test
    public void aLeasedRowIsNeitherListedNorRemoved() throws Exception {
        TestQueue queue = queue();
        JdbcDriver driver = running(runtime(), queue);
        push(driver, message("held").build());
        Job held = take(queue, 1).get(0); // claimed: leased to this runtime, not settled
        assertEquals(List.of(), driver.waiting(10));
        assertEquals(Optional.empty(), driver.remove("held"));
        held.settle(org.osgijobs.api.driver.Settlement.ack());
    }
}
