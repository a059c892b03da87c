package org.osgijobs.api;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.Test;

public class MessageTest {

    @Test
    public void buildsAnImmutableMessage() {
        byte[] payload = { 1, 2, 3 };
        Map<String, List<String>> headers = new HashMap<>(Map.of("a", new ArrayList<>(List.of("x"))));
        Message m = Message.builder("mail").id("id-1").payload(payload).headers(headers).pipeline("p").priority(3)
                .delay(5).autoAck(true).build();
        payload[0] = 9;
        headers.get("a").add("y");
        assertArrayEquals(new byte[] { 1, 2, 3 }, m.payload());
        m.payload()[1] = 7;
        assertArrayEquals(new byte[] { 1, 2, 3 }, m.payload());
        assertEquals(List.of("x"), m.headers().get("a"));
        assertThrows(UnsupportedOperationException.class, () -> m.headers().put("b", List.of()));
        assertEquals("x", m.header("a"));
        assertEquals(m, m.toBuilder().build());
        assertNotEquals(m, m.toBuilder().priority(4).build());
        assertEquals(5, m.delay());
        assertTrue(m.autoAck());
    }

    @Test
    public void badInputIsNamed() {
        assertEquals("job name must not be empty",
                assertThrows(JobsException.class, () -> Message.builder(" ").build()).getMessage());
        assertEquals("job 'x': priority must not be negative, got -1",
                assertThrows(JobsException.class, () -> Message.builder("x").priority(-1).build()).getMessage());
        assertEquals("job 'x': delay must not be negative, got -2",
                assertThrows(JobsException.class, () -> Message.builder("x").delay(-2).build()).getMessage());
    }

    @Test
    public void generatedIdsAreVersion4UuidsUniqueAcrossThreads() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    ids.add(Message.builder("x").build().id());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(200_000, ids.size());
        UUID uuid = UUID.fromString(ids.iterator().next());
        assertEquals(4, uuid.version());
        assertEquals(2, uuid.variant());
    }
}
