package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestQueue;

/** A file that jobs pass through keeps a bounded size: the space of settled jobs is reused. */
public class LocalFileSizeTest extends LocalFixture {

    @Test
    public void theFileStaysSmallWhileHundredsOfThousandsOfJobsPassThrough() throws Exception {
        TestQueue queue = new TestQueue(PIPELINE, 100_000);
        LocalDriver driver = running(queue);
        Thread worker = new Thread(() -> {
            try {
                Job job;
                while ((job = queue.take(5, TimeUnit.SECONDS)) != null) {
                    job.settle(Settlement.ack());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-worker");
        worker.start();
        long largest = 0;
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            List<CompletableFuture<Void>> pushes = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                pushes.add(driver.push(message("pass").id(round + "-" + i).payload(new byte[100]).build())
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(pushes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Poll.until("the worker drains the pipeline", Duration.ofSeconds(60), Duration.ofMillis(5),
                    () -> driver.store().size() == 0, () -> driver.store().size() + " jobs left");
            largest = Math.max(largest, Files.size(file()));
        }
        worker.join();
        System.out.printf("%d jobs of 100 bytes passed through: the file reached at most %d KB%n", rounds * 10_000,
                largest / 1024);
        assertEquals(0, driver.store().size());
        // MVStore's default retention (45 s) let this file grow past 45 MB; reusing space after 1 s keeps it at 10-20 MB
        assertTrue("the file grew to " + largest / 1024 + " KB", largest < 32L * 1024 * 1024);
    }
}
