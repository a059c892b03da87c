package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Job;
import org.osgijobs.testing.TestQueue;

/** The service that builds memory drivers. */
public class MemoryConstructorTest {
    private final MemoryConstructor constructor = new MemoryConstructor();

    @After
    public void deactivate() {
        constructor.deactivate();
    }

    @Test
    public void itIsTheMemoryDriverKind() {
        assertEquals("memory", constructor.name());
    }

    @Test
    public void builtDriversDoNotConsumeUntilRun() throws InterruptedException {
        TestQueue queue = new TestQueue(DriverTestSupport.PIPELINE, 10);
        Driver fromConfig = constructor.create(context(DriverTestSupport.pipeline(), "jobs.pipeline~p", queue));
        Driver declared = constructor.create(context(DriverTestSupport.pipeline(), null, new TestQueue(DriverTestSupport.PIPELINE, 10)));
        assertFalse(fromConfig.state().ready());
        assertFalse(declared.state().ready());

        fromConfig.push(DriverTestSupport.message("later").delay(1).build()).toCompletableFuture().join();
        fromConfig.push(DriverTestSupport.msg("now")).toCompletableFuture().join();
        assertEquals(0, queue.size());

        fromConfig.run(DriverTestSupport.pipeline());
        assertEquals("now", queue.take().name());
        Job later = queue.take(20, TimeUnit.SECONDS); // moved by the constructor's shared timer
        assertEquals("later", later.name());
    }

    @Test
    public void badOptionsAreReportedByTheBuilders() {
        try {
            constructor.create(context(DriverTestSupport.pipeline("prefetch", "x"), null, new TestQueue(DriverTestSupport.PIPELINE, 1)));
            fail("a malformed prefetch must be refused");
        } catch (JobsException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'prefetch'"));
        }
    }

    @Test
    public void afterDeactivationDelayedJobsAreStillHandedBackOnStop() {
        Driver driver = constructor.create(context(DriverTestSupport.pipeline(), null, new TestQueue(DriverTestSupport.PIPELINE, 10)));
        driver.run(DriverTestSupport.pipeline());
        constructor.deactivate();

        driver.push(DriverTestSupport.message("later").delay(1).build()).toCompletableFuture().join();

        assertEquals(List.of("later"), DriverTestSupport.names(driver.stop()));
    }

    @Test
    public void theComponentDescriptorRegistersAConstructorNamedMemory() throws IOException {
        String xml;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("OSGI-INF/" + MemoryConstructor.class.getName() + ".xml")) {
            assertNotNull("bnd generates the DS descriptor", in);
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml, xml.contains("interface=\"org.osgijobs.api.driver.Constructor\""));
        assertTrue(xml, xml.contains("name=\"driver.name\"") && xml.contains("value=\"memory\""));
        assertTrue(xml, xml.contains("deactivate=\"deactivate\""));
    }

    private static DriverContext context(Pipeline pipeline, String configKey, Queue queue) {
        return new DriverContext() {
            @Override
            public Pipeline pipeline() {
                return pipeline;
            }

            @Override
            public String configKey() {
                return configKey;
            }

            @Override
            public Queue queue() {
                return queue;
            }

            @Override
            public int timeoutSeconds() {
                return 5;
            }
        };
    }
}
