package org.osgijobs.api.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;

public class PipelineTest {

    private static Pipeline pipeline(Object... kv) {
        Map<String, Object> options = new HashMap<>(Map.of("name", " orders ", "driver", "memory"));
        for (int i = 0; i < kv.length; i += 2) {
            options.put((String) kv[i], kv[i + 1]);
        }
        return Pipeline.of(options);
    }

    @Test
    public void readsTypedValuesFromWhateverConfigurationAdminGives() {
        Pipeline p = pipeline("priority", 3L, "prefetch", "100", "durable", Boolean.TRUE, "ratio", "1.5",
                "consume", new String[] { "a", "b" }, "list", List.of(1, 2), "blank", " ", "gone", null);
        assertEquals("orders", p.name());
        assertEquals("memory", p.driver());
        assertEquals(3, p.priority());
        assertEquals(100, p.getInt("prefetch", 0));
        assertEquals(100L, p.getLong("prefetch", 0));
        assertTrue(p.getBool("durable", false));
        assertEquals(1.5, p.getDouble("ratio", 0), 0.0);
        assertEquals("a,b", p.getString("consume", null));
        assertEquals("1,2", p.getString("list", null));
        assertEquals("fallback", p.getString("blank", "fallback"));
        assertFalse(p.has("blank"));
        assertFalse(p.has("gone"));
        assertEquals(7, p.getInt("missing", 7));
        assertEquals(Pipeline.DEFAULT_PRIORITY, pipeline().priority());
    }

    @Test
    public void withDerivesAChangedCopy() {
        Pipeline p = pipeline("priority", "3");
        Pipeline changed = p.with("priority", 5).with("extra", "x");
        assertEquals(3, p.priority());
        assertEquals(5, changed.priority());
        assertEquals("x", changed.getString("extra", null));
        assertFalse(changed.with("extra", null).has("extra"));
        assertEquals(p, pipeline("priority", "3"));
    }

    @Test
    public void malformedValuesNameThePipelineTheOptionAndTheValue() {
        assertMessage("pipeline 'orders': option 'priority' must be an integer, got 'high'",
                () -> pipeline("priority", "high").priority());
        assertMessage("pipeline 'orders': option 'priority' must be a number not below 0, got '-1'",
                () -> pipeline("priority", "-1").priority());
        assertMessage("pipeline 'orders': option 'durable' must be true or false, got 'yes'",
                () -> pipeline("durable", "yes").getBool("durable", false));
        assertMessage("pipeline 'orders': option 'prefetch' must be an integer from -2147483648 to 2147483647, got "
                + "'99999999999999'", () -> pipeline("prefetch", "99999999999999").getInt("prefetch", 1));
        assertMessage("pipeline 'orders': option 'prefetch' must be an integer from -2147483648 to 2147483647, got "
                + "'many'", () -> pipeline("prefetch", "many").getInt("prefetch", 1));
        assertMessage("pipeline 'orders': option 'ratio' must be a number, got 'NaN'",
                () -> pipeline("ratio", "NaN").getDouble("ratio", 1));
        assertMessage("pipeline option 'name' is required", () -> Pipeline.of(Map.of("driver", "memory")));
        assertMessage("pipeline 'x': option 'driver' is required", () -> Pipeline.of(Map.of("name", "x")));
    }

    private static void assertMessage(String expected, org.junit.function.ThrowingRunnable action) {
        assertEquals(expected, assertThrows(JobsException.class, action).getMessage());
    }
}
