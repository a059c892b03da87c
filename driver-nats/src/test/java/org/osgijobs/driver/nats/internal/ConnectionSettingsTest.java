package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;

/** The jobs.nats configuration: defaults, checks, and secrets kept out of what is shown. */
public class ConnectionSettingsTest {

    @Test
    public void roadRunnersDefaultAddress() {
        assertEquals("nats://127.0.0.1:4222", ConnectionSettings.of(Map.of()).toString());
        assertEquals("nats://h:4222,tls://k:4443", ConnectionSettings.of(Map.of("addr", "h, tls://k:4443"))
                .toString());
    }

    @Test
    public void theClientTakesTheOptionsForAnyTimeout() {
        // the runtime's default timeout is 60 s: a connection timeout that long is refused by the client
        for (int seconds : new int[] { 1, 60, 3600 }) {
            io.nats.client.Options o = ConnectionSettings.of(Map.of()).options("p", java.time.Duration.ofSeconds(
                    seconds), (c, e) -> {
                    }, new io.nats.client.ErrorListener() {
                    });
            assertTrue(o.getConnectionTimeout().compareTo(ConnectionSettings.MAX_CONNECT) <= 0);
        }
    }

    @Test
    public void credentialsInTheAddressAreNeverShown() {
        ConnectionSettings s = ConnectionSettings.of(Map.of("addr", "nats://alice:s3cret@h:4222"));
        assertEquals("nats://***@h:4222", s.toString());
        assertFalse(ConnectionSettings.mask("failed nats://alice:s3cret@h:4222 x").contains("s3cret"));
    }

    @Test
    public void badSettingsAreNamedWithoutTheirSecrets() {
        JobsException e = assertThrows(JobsException.class,
                () -> ConnectionSettings.of(Map.of("addr", "amqp://alice:s3cret@h")));
        assertTrue(e.getMessage(), e.getMessage().contains("'addr'"));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cret"));
        e = assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("token", "t", "user", "u")));
        assertTrue(e.getMessage(), e.getMessage().contains("'token'"));
        e = assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("password", "p")));
        assertTrue(e.getMessage(), e.getMessage().contains("'password' is set without 'user'"));
        e = assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("creds", "/nonexistent.creds")));
        assertTrue(e.getMessage(), e.getMessage().contains("'creds'"));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
    }
}
