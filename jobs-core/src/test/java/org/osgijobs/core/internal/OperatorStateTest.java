package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What operators declared and paused survives a reload of its file; destroy forgets both. */
public class OperatorStateTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void declarationsAndPausesSurviveAReloadAndDestroyForgetsThem() throws Exception {
        Path file = folder.getRoot().toPath().resolve("data/operator-state.properties");
        OperatorState state = OperatorState.load(file);
        state.declared("reports", Map.of("name", "reports", "driver", "memory", "priority", "3"));
        state.declared("café.eu", Map.of("name", "café.eu", "driver", "amqp", "queue", "q.1"));
        state.paused("reports");
        state.paused("configured-one");

        OperatorState reloaded = OperatorState.load(file);
        assertEquals(Map.of("reports", Map.of("name", "reports", "driver", "memory", "priority", "3"), "café.eu",
                Map.of("name", "café.eu", "driver", "amqp", "queue", "q.1")), reloaded.declared());
        assertTrue(reloaded.isPaused("reports"));
        assertTrue(reloaded.isPaused("configured-one"));

        reloaded.resumed("configured-one");
        reloaded.destroyed("reports");
        OperatorState again = OperatorState.load(file);
        assertEquals(List.of("café.eu"), List.copyOf(again.declared().keySet()));
        assertFalse(again.isPaused("reports"));
        assertFalse(again.isPaused("configured-one"));
        assertFalse("written through a temporary file that is gone",
                Files.exists(file.resolveSibling("operator-state.properties.tmp")));
    }

    @Test
    public void anUnreadableFileIsIgnoredAndRewrittenOnTheNextChange() throws Exception {
        Path file = folder.newFile("operator-state.properties").toPath();
        Files.write(file, "declared.0.name=\\u12".getBytes(StandardCharsets.ISO_8859_1)); // a broken escape
        OperatorState state = OperatorState.load(file);
        assertTrue(state.declared().isEmpty());
        state.paused("p");
        assertTrue(OperatorState.load(file).isPaused("p"));
    }

    @Test
    public void withoutAFileNothingIsKept() {
        OperatorState none = OperatorState.none();
        none.declared("x", Map.of("name", "x", "driver", "memory"));
        assertEquals(1, none.declared().size());
    }
}
