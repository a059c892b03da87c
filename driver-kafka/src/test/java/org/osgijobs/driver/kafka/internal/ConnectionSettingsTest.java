package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;

/** The jobs.kafka configuration: brokers, TLS, SASL, ping timeout, and errors naming the key. */
public class ConnectionSettingsTest {

    private static void bad(String key, Map<String, ?> properties) {
        try {
            ConnectionSettings.of(properties);
            fail("accepted " + properties);
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains(key));
        }
    }

    @Test
    public void defaults() {
        ConnectionSettings s = ConnectionSettings.of(Map.of());
        assertEquals(List.of("127.0.0.1:9092"), s.brokers());
        assertEquals(10_000, s.pingMillis());
        assertEquals("PLAINTEXT", s.clientProperties().get("security.protocol"));
    }

    @Test
    public void brokersAsAListAStringOrAnArray() {
        assertEquals(List.of("a:1", "b:2"), ConnectionSettings.of(Map.of("brokers", "a:1, b:2")).brokers());
        assertEquals(List.of("a:1", "b:2"), ConnectionSettings.of(Map.of("brokers", new String[] {"a:1", "b:2"}))
                .brokers());
        assertEquals(List.of("a:1", "b:2"), ConnectionSettings.of(Map.of("brokers", "[\"a:1\", \"b:2\"]"))
                .brokers());
        assertEquals(500, ConnectionSettings.of(Map.of("ping.timeout", "500ms")).pingMillis());
    }

    @Test
    public void saslScramWithoutTheSecretInItsText() {
        ConnectionSettings s = ConnectionSettings.of(Map.of("sasl.mechanism", "SCRAM-SHA-512", "sasl.username",
                "u", "sasl.password", "pa\"ss-word-9"));
        Map<String, Object> p = s.clientProperties();
        assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
                + " password=\"pa\\\"ss-word-9\";", p.get("sasl.jaas.config"));
        assertFalse(s.toString().contains("word-9"));
        assertEquals("failed for **** here", s.mask("failed for pa\"ss-word-9 here"));
        ConnectionSettings plain = ConnectionSettings.of(Map.of("sasl.mechanism", "plain", "sasl.username", "u",
                "sasl.password", "p"));
        assertEquals("PLAIN", plain.clientProperties().get("sasl.mechanism"));
    }

    @Test
    public void tlsFromPemFiles() throws Exception {
        Path ca = Files.createTempFile("ca", ".pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        ConnectionSettings s = ConnectionSettings.of(Map.of("tls.root_ca", ca.toString(), "sasl.mechanism", "plain",
                "sasl.username", "u", "sasl.password", "p"));
        Map<String, Object> p = s.clientProperties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("PEM", p.get("ssl.truststore.type"));
        assertTrue(s.tls());
        Files.delete(ca);
    }

    @Test
    public void badKeysAreNamed() {
        bad("brokers", Map.of("brokers", "no-port"));
        bad("brokers", Map.of("brokers", "user:pw@host:9092"));
        bad("ping.timeout", Map.of("ping.timeout", "soon"));
        bad("sasl.mechanism", Map.of("sasl.mechanism", "aws_msk_iam"));
        bad("sasl.username", Map.of("sasl.mechanism", "plain"));
        bad("tls.root_ca", Map.of("tls.root_ca", "/does/not/exist.pem"));
        bad("tls.key", Map.of("tls.cert", "/x.pem"));
        bad("tls.client_auth_type", Map.of("tls.client_auth_type", "maybe"));
    }
}
