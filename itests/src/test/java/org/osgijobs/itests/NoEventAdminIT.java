package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.composite;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** EventAdmin is optional: without it the runtime resolves, starts and runs jobs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NoEventAdminIT extends ItestSupport {

    @Override
    protected Option bundles() {
        // test-support is the probe's (RecordingHandler can record into a Ledger), it posts no events
        return composite(ItestBundles.logging(), ItestBundles.declarativeServices(), ItestBundles.configAdmin(),
                ItestBundles.metatype(), ItestBundles.jobsApi(), ItestBundles.jobsCore(),
                ItestBundles.memoryDriver(), ItestBundles.testSupport());
    }

    @Test
    public void theRuntimeWorksWithoutEventAdmin() {
        for (Bundle b : bundleContext.getBundles()) {
            if ("org.apache.felix.eventadmin".equals(b.getSymbolicName())) {
                throw new AssertionError("this test needs a framework without EventAdmin");
            }
        }
        assertEquals("ACTIVE", stateName(bundle("org.osgijobs.jobs-core").getState()));
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "quiet.job");
        declare(memoryPipeline("quiet"));
        jobs().resume("quiet");
        jobs().pause("quiet");
        jobs().resume("quiet");

        String id = push("quiet", "quiet.job", "");

        await("the job runs", () -> handler.runsOf(id) == 1);
    }
}
