package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.TlsFiles;
import org.osgijobs.testing.TlsTerminatingProxy;
import org.osgijobs.testing.SharedTestQueue;

/**
 * TLS with a CA and a client certificate, through a TLS-terminating proxy in front of the plain port. The client key
 * is in the traditional RSA form; the same key in PKCS#8 is read too, so that both key formats are covered.
 */
public class AmqpTlsTest {

    @Rule
    public final AmqpFixture amqp = new AmqpFixture();

    private TlsFiles files;
    private TlsTerminatingProxy proxy;

    @Before
    public void tls() throws Exception {
        files = TlsFiles.in(Path.of(System.getProperty("amqp.test.work", "target/amqp-test"), "tls"));
        proxy = new TlsTerminatingProxy(files, RabbitMqBroker.PORT);
    }

    @After
    public void closeProxy() throws Exception {
        proxy.close();
    }

    private Map<String, Object> connection(String rootCa, String clientAuth) {
        Map<String, Object> c = new HashMap<>();
        c.put("addr", "amqps://guest:guest@127.0.0.1:" + proxy.port() + "/?connection_timeout=3000");
        c.put("tls.root_ca", rootCa);
        c.put("tls.cert", files.clientCert().toString());
        c.put("tls.key", files.clientKey().toString());
        c.put("tls.client_auth_type", clientAuth);
        return c;
    }

    @Test
    public void connectsWithTheCaAndTheClientCertificate() throws Exception {
        String q = amqp.queue("tls");
        SharedTestQueue queue = new SharedTestQueue("p");
        ConnectionSettings settings = ConnectionSettings.of(connection(files.ca().toString(),
                "require_and_verify_client_cert"));
        assertTrue(settings.tls());
        AmqpDriver d = amqp.driver(queue, settings, AmqpFixture.options("p", "queue", q, "routing_key", q));
        assertEquals("", d.state().errorMessage());
        d.push(Message.builder("secure").id("s1").pipeline("p").build()).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        d.run(Pipeline.of(AmqpFixture.options("p")));
        Job job = queue.poll(30, TimeUnit.SECONDS);
        assertNotNull(job);
        assertEquals("s1", job.id());
        job.settle(Settlement.ack());
    }

    @Test
    public void refusesAServerItDoesNotTrust() throws Exception {
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(connection(files.otherCa().toString(), "")),
                AmqpFixture.options("p", "timeout", "2"));
        String error = d.state().errorMessage();
        assertTrue(error, error.contains("TLS handshake failed: the broker's certificate is not trusted"));
        assertTrue(error, error.contains("amqps://***:***@127.0.0.1:" + proxy.port()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> d.push(Message.builder("x")
                .pipeline("p").build()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("not trusted"));
    }

    @Test
    public void withoutItsCertificateTheClientIsRefusedByAServerThatWantsOne() throws Exception {
        AmqpDriver d = amqp.driver(new SharedTestQueue("p"), ConnectionSettings.of(connection(files.ca().toString(),
                "no_client_certs")), AmqpFixture.options("p"));
        String error = d.state().errorMessage();
        assertFalse(error, error.isEmpty());
        assertTrue(error, error.startsWith("no connection to amqps://***:***@127.0.0.1:"));
    }

    @Test
    public void bothPemFormsOfAPrivateKeyAreRead() throws Exception {
        PrivateKey traditional = PemFiles.privateKey("tls.key", files.clientKey().toString());
        PrivateKey pkcs8 = PemFiles.privateKey("tls.key", files.clientKeyPkcs8().toString());
        assertEquals("RSA", traditional.getAlgorithm());
        assertArrayEquals("the same key from both forms", traditional.getEncoded(), pkcs8.getEncoded());
    }
}
