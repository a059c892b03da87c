package org.osgijobs.driver.memory.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.TestQueue;

/**
 * Run by hand, not a test: the heap a paused memory pipeline needs per queued job, beyond the payload bytes.
 * <pre>
 * java -Xmx2g -cp target/classes:target/test-classes:$HOME/.m2/repository/org/osgijobs/jobs-api/1.0.0-SNAPSHOT/jobs-api-1.0.0-SNAPSHOT.jar:$HOME/.m2/repository/org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar \
 *     org.osgijobs.driver.memory.internal.FootprintCheck [jobs]
 * </pre>
 * Each job is a distinct 100-byte payload with a random id, as producers push them; the id counts as overhead.
 */
public final class FootprintCheck {
    private static final int PAYLOAD = 100;

    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        MemoryDriver driver = new MemoryDriver(Pipeline.of(Map.of("name", "p", "driver", "memory")),
                new TestQueue(DriverTestSupport.PIPELINE, 1), timer);
        // warm the classes up so they do not count
        driver.push(Message.builder("warm").pipeline("p").build());
        driver.stop();
        driver = new MemoryDriver(Pipeline.of(Map.of("name", "p", "driver", "memory")), new TestQueue(DriverTestSupport.PIPELINE, 1), timer);

        long before = usedAfterGc();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[PAYLOAD];
            payload[0] = (byte) i;
            driver.push(Message.builder("job").pipeline("p").payload(payload).build());
        }
        long after = usedAfterGc();

        long perJob = (after - before) / count;
        // a byte[100] takes 16 bytes of header plus 100 rounded up to 8: 120 bytes
        long payloadBytes = 16 + ((PAYLOAD + 7) / 8) * 8;
        System.out.printf("%d paused jobs hold %d MB: %d bytes per job, %d beyond the %d-byte payload array%n",
                driver.state().active(), (after - before) >> 20, perJob, perJob - payloadBytes, payloadBytes);
        driver.stop();
        timer.shutdownNow();
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
