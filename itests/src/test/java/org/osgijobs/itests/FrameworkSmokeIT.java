package org.osgijobs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.EventAdmin;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.driver.Constructor;

/**
 * The test framework itself: Felix starts with the OSGi services, the API, the runtime and the memory driver,
 * every bundle is active, and the runtime's services are registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkSmokeIT extends ItestSupport {

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + stateName(b.getState()));
            }
        }
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void theProvisionedBundlesAreThere() {
        for (String bsn : List.of("org.osgijobs.jobs-api", "org.osgijobs.jobs-core", "org.osgijobs.driver-memory",
                "org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.eventadmin", "org.apache.felix.metatype", "slf4j.api", "slf4j.simple")) {
            assertEquals(bsn + " state", "ACTIVE", stateName(bundle(bsn).getState()));
        }
        assertTrue("the jobs-api bundle exports org.osgijobs.api",
                bundle("org.osgijobs.jobs-api").getHeaders().get("Export-Package").contains("org.osgijobs.api"));
    }

    @Test
    public void theOsgiServicesTheRuntimeNeedsAreRegistered() {
        assertNotNull(service(ServiceComponentRuntime.class));
        assertNotNull(service(ConfigurationAdmin.class));
        assertNotNull(service(EventAdmin.class));
    }

    @Test
    public void theRuntimeAndTheMemoryDriverAreRegistered() throws Exception {
        assertNotNull(service(Jobs.class));
        await("a driver constructor with driver.name=memory",
                () -> refs(Constructor.class, "(driver.name=memory)").size() == 1);
        assertEquals("the runtime starts without pipelines", List.of(), jobs().list());
    }

    private <T> java.util.Collection<org.osgi.framework.ServiceReference<T>> refs(Class<T> type, String filter) {
        try {
            return bundleContext.getServiceReferences(type, filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
