package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgijobs.api.handler.JobHandler;
import org.osgijobs.itests.handlerbundle.BlockingHandler;

/**
 * A handler bundle stopped while its handler runs a job: the run is cancelled and the job is not lost; it runs in
 * another handler, or in the same one when its bundle comes back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerDepartureIT extends ItestSupport {
    private static final String JOB = "departure.job";

    private static final String COMPONENT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itests.blocking-handler"
                    immediate="true">
              <implementation class="org.osgijobs.itests.handlerbundle.BlockingHandler"/>
              <service><provide interface="org.osgijobs.api.handler.JobHandler"/></service>
              <property name="job.name" type="String" value="departure.job"/>
              <property name="service.ranking" type="Integer" value="100"/>
            </scr:component>
            """;

    @After
    public void clearSignals() {
        System.getProperties().keySet().removeIf(k -> k.toString().startsWith("itests.handlerbundle."));
    }

    @Test
    public void aJobWhoseHandlerBundleStopsRunsInAnotherHandler() throws Exception {
        System.setProperty(BlockingHandler.BLOCK, "true");
        RecordingHandler fallback = new RecordingHandler();
        registerHandler(fallback, 0, JOB);
        Bundle handlerBundle = installHandlerBundle();
        handlerBundle.start();
        await("the bundle's handler is registered beside the test's", () -> handlers() == 2);
        declare(memoryPipeline("dep-fallback"));
        jobs().resume("dep-fallback");

        String id = push("dep-fallback", JOB, "");
        await("the bundle's (higher-ranked) handler runs the job", () -> startedInBundle(id) == 1);
        assertEquals("the fallback has not run it", 0, fallback.count());

        handlerBundle.stop();

        await("the job runs in the remaining handler", () -> fallback.runsOf(id) == 1);
        assertNull("the cancelled run did not complete", System.getProperty(BlockingHandler.COMPLETED + id));
        awaitStats("dep-fallback", "one job processed, none in flight",
                s -> s.processed() == 1 && s.inFlight() == 0);
    }

    @Test
    public void aJobWhoseHandlerBundleStopsRunsWhenTheBundleReturns() throws Exception {
        System.setProperty(BlockingHandler.BLOCK, "true");
        Bundle handlerBundle = installHandlerBundle();
        handlerBundle.start();
        await("the bundle's handler is registered", () -> handlers() == 1);
        declare(memoryPipeline("dep-return", "no_handler_delay", "1"));
        jobs().resume("dep-return");

        String id = push("dep-return", JOB, "");
        await("the bundle's handler runs the job", () -> startedInBundle(id) == 1);

        handlerBundle.stop();
        System.setProperty(BlockingHandler.BLOCK, "false");

        awaitStats("dep-return", "the job waits for a handler (counted as without handler)",
                s -> s.noHandler() >= 1 && s.processed() == 0);
        assertNull("the cancelled run did not complete", System.getProperty(BlockingHandler.COMPLETED + id));

        handlerBundle.start();

        await("the job completes in the returned handler",
                () -> "true".equals(System.getProperty(BlockingHandler.COMPLETED + id)));
        assertEquals("it ran twice in that handler: cancelled, then completed", 2, startedInBundle(id));
        awaitStats("dep-return", "one job processed", s -> s.processed() == 1);
    }

    private Bundle installHandlerBundle() {
        byte[] jar = TestBundleBuilder.bundle("org.osgijobs.itests.handlerbundle")
                .header("Import-Package", "org.osgijobs.api.handler")
                .header("Service-Component", "OSGI-INF/blocking-handler.xml")
                .add(BlockingHandler.class)
                .resource("OSGI-INF/blocking-handler.xml", COMPONENT)
                .build();
        return install("itest:handlerbundle", jar);
    }

    private int handlers() {
        try {
            var refs = bundleContext.getServiceReferences(JobHandler.class, "(job.name=" + JOB + ")");
            return refs.size();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int startedInBundle(String id) {
        return Integer.getInteger(BlockingHandler.STARTED + id, 0);
    }
}
