package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.Rule;
import org.junit.Test;

/** The protocol client against the real server. */
public class BeanstalkConnectionTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private static final long WAIT = BeanstalkFixture.WAIT;

    private BeanstalkConnection open() throws IOException {
        return BeanstalkConnection.open(BeanstalkFixture.HOST, BeanstalkFixture.PORT, 2000, "test-reader");
    }

    @Test
    public void putReserveDeleteWithABodyHoldingCrlfAndEveryByte() throws Exception {
        String tube = fx.tube("conn");
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        body[10] = '\r';
        body[11] = '\n';
        try (BeanstalkConnection c = open()) {
            c.use(tube, WAIT);
            c.watchOnly(tube, WAIT);
            long id = c.put(7, 0, 30, body).get();
            BeanstalkConnection.Reserved r = c.reserve(1, WAIT);
            assertNotNull(r);
            assertEquals(id, r.id());
            assertArrayEquals(body, r.body());
            assertEquals("7", c.statsJob(id, WAIT).get("pri"));
            assertTrue(BeanstalkConnection.found(c.await(c.send("delete " + id, null), WAIT), "DELETED"));
            assertFalse(BeanstalkConnection.found(c.await(c.send("delete " + id, null), WAIT), "DELETED"));
            assertNull("nothing left", c.reserve(0, WAIT));
        }
    }

    @Test
    public void manyPutsInFlightAreAnsweredInOrder() throws Exception {
        String tube = fx.tube("conn");
        try (BeanstalkConnection c = open()) {
            c.use(tube, WAIT);
            List<CompletableFuture<Long>> puts = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                puts.add(c.put(1, 0, 30, ("job " + i).getBytes()));
            }
            long previous = 0;
            for (CompletableFuture<Long> put : puts) {
                long id = put.get();
                assertTrue("ids grow in the order of the puts", id > previous);
                previous = id;
            }
            assertEquals(500, fx.count(tube, "current-jobs-ready"));
        }
    }

    @Test
    public void releaseWithADelayTouchAndStatsTube() throws Exception {
        String tube = fx.tube("conn");
        try (BeanstalkConnection c = open()) {
            c.use(tube, WAIT);
            c.watchOnly(tube, WAIT);
            long id = c.put(3, 0, 5, "x".getBytes()).get();
            assertEquals(id, c.reserve(1, WAIT).id());
            assertEquals("1", fx.stats(tube).get("current-jobs-reserved"));
            assertTrue(BeanstalkConnection.found(c.await(c.send("touch " + id, null), WAIT), "TOUCHED"));
            assertTrue(BeanstalkConnection.found(c.await(c.send("release " + id + " 3 60", null), WAIT),
                    "RELEASED"));
            assertEquals("1", fx.stats(tube).get("current-jobs-delayed"));
            assertEquals("delayed", c.statsJob(id, WAIT).get("state"));
        }
    }

    @Test
    public void anUnknownTubeHasNoStatistics() throws Exception {
        assertTrue(fx.raw.statsTube(fx.tube("never-used"), WAIT).isEmpty());
    }

    @Test
    public void aJobTooBigIsRefusedByName() throws Exception {
        String tube = fx.tube("conn");
        try (BeanstalkConnection c = open()) {
            c.use(tube, WAIT);
            try {
                c.put(1, 0, 30, new byte[70_000]).get(); // beanstalkd's default limit is 65,535 bytes
                fail("stored a job above the server's limit");
            } catch (ExecutionException e) {
                assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("JOB_TOO_BIG"));
            }
            c.use(tube, WAIT); // the connection goes on
        }
    }

    @Test
    public void closingFailsTheReplyStillAwaited() throws Exception {
        String tube = fx.tube("conn");
        BeanstalkConnection c = open();
        c.watchOnly(tube, WAIT);
        CompletableFuture<BeanstalkConnection.Reply> waiting = c.send("reserve-with-timeout 30", null);
        c.close();
        try {
            fail("a reply after close: " + waiting.get());
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof IOException);
        }
        assertFalse(c.isOpen());
        assertTrue(c.send("stats", null).isCompletedExceptionally());
    }

    @Test
    public void aServerThatIsNotThereIsNamed() {
        try {
            BeanstalkConnection.open("127.0.0.1", 1, 2000, "test-reader");
            fail("connected to port 1");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:1"));
        }
    }
}
