package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;

import com.rabbitmq.client.ConnectionFactory;

public class ConnectionSettingsTest {

    @Test
    public void defaultsToRoadRunnersAddress() {
        ConnectionSettings s = ConnectionSettings.of(Map.of());
        assertFalse(s.tls());
        ConnectionFactory f = s.newFactory(9);
        assertEquals("127.0.0.1", f.getHost());
        assertEquals(5672, f.getPort());
        assertEquals("/", f.getVirtualHost());
        assertFalse("the driver owns recovery", f.isAutomaticRecoveryEnabled());
        assertFalse(f.isTopologyRecoveryEnabled());
        assertEquals(9000, f.getChannelRpcTimeout());
    }

    @Test
    public void tlsOptionsNeedAnAmqpsAddress() {
        JobsException e = assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr",
                "amqp://u:pw-secret@h:5672/", "tls.root_ca", "/nowhere/ca.pem")));
        assertTrue(e.getMessage(), e.getMessage().contains("tls.* are set but 'addr'"));
        assertFalse(e.getMessage().contains("pw-secret"));
    }

    @Test
    public void certificateAndKeyGoTogether() {
        JobsException e = assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr",
                "amqps://h/", "tls.cert", "/nowhere/c.pem")));
        assertEquals("jobs.amqp: options 'tls.cert' and 'tls.key' go together: 'tls.key' is missing", e.getMessage());
    }

    @Test
    public void clientAuthTypesAreRoadRunners() {
        assertTrue(assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr", "amqps://h/",
                "tls.client_auth_type", "always"))).getMessage().contains(
                        "option 'tls.client_auth_type' must be one of no_client_certs, request_client_cert,"));
        assertTrue(assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr", "amqps://h/",
                "tls.client_auth_type", "require_and_verify_client_cert"))).getMessage().contains(
                        "'tls.cert' and 'tls.key' are not set"));
        assertTrue(ConnectionSettings.of(Map.of("addr", "amqps://h/", "tls.client_auth_type", "no_client_certs"))
                .tls());
    }

    @Test
    public void unreadableOrWrongFilesAreNamed() throws Exception {
        assertTrue(assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr", "amqps://h/",
                "tls.root_ca", "/nowhere/ca.pem"))).getMessage().contains(
                        "option 'tls.root_ca': cannot read /nowhere/ca.pem"));
        Path notPem = Files.createTempFile("not", ".pem");
        Files.writeString(notPem, "hello");
        try {
            assertTrue(assertThrows(JobsException.class, () -> ConnectionSettings.of(Map.of("addr", "amqps://h/",
                    "tls.root_ca", notPem.toString()))).getMessage().contains("option 'tls.root_ca'"));
            assertTrue(assertThrows(JobsException.class, () -> PemFiles.privateKey("tls.key", notPem.toString()))
                    .getMessage().contains("holds no 'BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' block"));
        } finally {
            Files.delete(notPem);
        }
    }
}
