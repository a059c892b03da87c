package org.osgijobs.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.testing.ScriptedDriver;

/**
 * A pipeline configuration deleted and made again under the same name: the new pipeline's driver is built only once
 * the old one has stopped (a local pipeline's file stays locked by the old driver until then).
 */
public class PipelineReplacementTest {
    private final JobsRuntime runtime = new JobsRuntime();
    private final ScriptedDriver.Factory constructor = new ScriptedDriver.Factory();
    private final CountDownLatch releaseOldStop = new CountDownLatch(1);

    @Before
    public void start() {
        runtime.addConstructor(constructor, Map.of(Constructor.DRIVER_NAME, ScriptedDriver.KIND,
                Constants.SERVICE_ID, 100L));
        runtime.activate(Map.of("num_workers", 1, "timeout", 5));
    }

    @After
    public void stop() {
        releaseOldStop.countDown();
        runtime.deactivate();
    }

    private void configure(String pid) throws Exception {
        runtime.configure(pid, Map.of(Constants.SERVICE_PID, pid, "name", "same", "driver", ScriptedDriver.KIND));
    }

    @Test(timeout = 30_000)
    public void theNewDriverIsBuiltOnlyOnceTheOldOneHasStopped() throws Exception {
        ScriptedDriver old = new ScriptedDriver("old").stopBlocksUntil(releaseOldStop);
        ScriptedDriver next = new ScriptedDriver("next");
        constructor.prepare(old, next);
        configure("jobs.pipeline~a");
        runtime.awaitTransitions(10_000);
        assertEquals(1, constructor.built().size());

        runtime.unconfigure("jobs.pipeline~a");
        assertTrue("the old driver is stopping", old.stopCalled().await(10, TimeUnit.SECONDS));
        configure("jobs.pipeline~b");
        Eventually.await("the new pipeline says what it waits for", () -> runtime.stat("same").errorMessage()
                .contains("waiting for the previous pipeline 'same' to stop"));
        assertEquals("no second driver while the first is stopping", 1, constructor.built().size());

        releaseOldStop.countDown();
        Eventually.await("the new driver is built", () -> constructor.built().size() == 2);
        assertTrue(old.isStopped());
        Eventually.await("and serves", () -> runtime.stat("same").errorMessage().isEmpty());
    }
}
