package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.osgijobs.api.JobsException;

public class RuntimeSettingsTest {

    @Test
    public void defaults() {
        RuntimeSettings s = RuntimeSettings.defaults();
        assertEquals(Runtime.getRuntime().availableProcessors(), s.numWorkers());
        assertEquals(100_000, s.pipelineSize());
        assertEquals(5, s.driverWait());
        assertEquals(60, s.timeout());
        assertEquals(0, s.jobTimeout());
        assertTrue(s.consume().isEmpty());
    }

    @Test
    public void readsStringsNumbersAndListsAsConfigAdminGivesThem() {
        RuntimeSettings s = RuntimeSettings.of(Map.of("num_workers", "3", "pipeline_size", 50, "timeout", 7L,
                "consume", "a, b", "job_timeout", "2"));
        assertEquals(3, s.numWorkers());
        assertEquals(50, s.pipelineSize());
        assertEquals(7, s.timeout());
        assertEquals(2, s.jobTimeout());
        assertEquals(Set.of("a", "b"), s.consume());
        assertEquals(Set.of("x", "y"), RuntimeSettings.of(Map.of("consume", new String[] { "x", "y" })).consume());
        assertEquals(Set.of("z"), RuntimeSettings.of(Map.of("consume", List.of("z"))).consume());
    }

    @Test
    public void malformedValuesNameTheKey() {
        JobsException e = assertThrows(JobsException.class,
                () -> RuntimeSettings.of(Map.of("num_workers", "two")));
        assertEquals("configuration 'jobs': 'num_workers' must be an integer from 0 to 2147483647, got 'two'",
                e.getMessage());
        e = assertThrows(JobsException.class, () -> RuntimeSettings.of(Map.of("pipeline_size", 0)));
        assertEquals("configuration 'jobs': 'pipeline_size' must be at least 1, got 0", e.getMessage());
    }
}
