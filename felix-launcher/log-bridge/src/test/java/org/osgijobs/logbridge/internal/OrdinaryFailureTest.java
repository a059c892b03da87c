package org.osgijobs.logbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;

import org.junit.Test;

/** A configuration file that ConfigAdmin refuses is bad input: one line naming the cause, no trace. */
public class OrdinaryFailureTest {

    @Test
    public void aFileThatConfigAdminRefusesIsOneLineNamingTheCause() {
        Exception refused = new RuntimeException(new RuntimeException(
                new IllegalArgumentException("Key [Priority] already present in different case")));
        assertEquals(Optional.of("Failed to install artifact: /opt/jobs/conf/jobs.pipeline-x.cfg: Key [Priority] "
                + "already present in different case"), OrdinaryFailure.of(OrdinaryFailure.FILEINSTALL,
                        "Failed to install artifact: /opt/jobs/conf/jobs.pipeline-x.cfg", refused));
    }

    @Test
    public void otherFailuresKeepTheirTrace() {
        assertTrue("not bad input", OrdinaryFailure.of(OrdinaryFailure.FILEINSTALL, "Failed to install artifact: x",
                new RuntimeException(new NullPointerException())).isEmpty());
        assertTrue("another bundle", OrdinaryFailure.of("org.apache.felix.scr", "Failed to install artifact: x",
                new IllegalArgumentException("x")).isEmpty());
        assertTrue("another message", OrdinaryFailure.of(OrdinaryFailure.FILEINSTALL, "Something else",
                new IllegalArgumentException("x")).isEmpty());
        assertTrue("no exception", OrdinaryFailure.of(OrdinaryFailure.FILEINSTALL, "Failed to install artifact: x",
                null).isEmpty());
    }
}
