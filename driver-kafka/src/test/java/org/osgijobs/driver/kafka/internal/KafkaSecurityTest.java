package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.TlsFiles;

/**
 * SASL/PLAIN and TLS against a real broker (one of the test's own, with a SASL listener or a TLS one): the right
 * credentials, or the right CA, push and consume; a wrong password, or a CA the broker's certificate does not chain
 * to, is a clear pipeline error (never showing the password).
 */
public class KafkaSecurityTest {
    private static final String PASSWORD = "pl41n-s3cret";

    @Test
    public void overTlsWithTheBrokersCaJobsFlowAndWithAnotherCaTheHandshakeFailureIsThePipelinesError()
            throws Exception {
        TlsFiles tls = TlsFiles.in(Path.of("target/tls"));
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess()) {
            int tlsPort = broker.enableTls(tls.serverKeyStore(), TlsFiles.KEY_STORE_PASSWORD);
            broker.start();
            KafkaFixture kafka = new KafkaFixture(broker.brokers());
            kafka.before();
            try {
                String topic = kafka.topic("tls", 1);
                String brokers = "127.0.0.1:" + tlsPort;
                Map<String, Object> o = kafka.options("p", topic);
                SharedTestQueue queue = new SharedTestQueue("p");
                KafkaDriver d = kafka.driver(queue, ConnectionSettings.of(Map.of("brokers", brokers, "ping.timeout",
                        "2s", "tls.root_ca", tls.ca().toString())), o);
                d.run(Pipeline.of(o));
                d.push(Message.builder("j").id("over-tls").pipeline("p").payload("x").build()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                Job job = queue.poll(30, TimeUnit.SECONDS);
                assertNotNull("consumed over TLS", job);
                assertEquals("over-tls", job.id());
                job.settle(Settlement.ack());

                Map<String, Object> untrusted = kafka.options("q", topic);
                KafkaDriver wrong = kafka.driver(new SharedTestQueue("q"), ConnectionSettings.of(Map.of("brokers",
                        brokers, "ping.timeout", "2s", "tls.root_ca", tls.otherCa().toString())), untrusted);
                wrong.run(Pipeline.of(untrusted));
                Poll.until("the state says the TLS handshake failed", Duration.ofSeconds(30), Duration.ofMillis(100),
                        () -> wrong.state().errorMessage().toLowerCase().matches(".*(ssl|tls|handshake|certificate).*"),
                        () -> wrong.state().toString());
            } finally {
                kafka.after();
            }
        }
    }

    @Test
    public void withTheRightCredentialsJobsFlowAndAWrongPasswordIsAClearErrorWithoutIt() throws Exception {
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess()) {
            int saslPort = broker.enableSaslPlain("alice", PASSWORD);
            broker.start();
            KafkaFixture kafka = new KafkaFixture(broker.brokers()); // its admin client uses the plain listener
            kafka.before();
            try {
                String topic = kafka.topic("sasl", 1);
                String sasl = "127.0.0.1:" + saslPort;
                Map<String, Object> o = kafka.options("p", topic);
                SharedTestQueue queue = new SharedTestQueue("p");
                KafkaDriver d = kafka.driver(queue, ConnectionSettings.of(Map.of("brokers", sasl, "ping.timeout",
                        "2s", "sasl.mechanism", "plain", "sasl.username", "alice", "sasl.password", PASSWORD)), o);
                d.run(Pipeline.of(o));
                d.push(Message.builder("j").id("over-sasl").pipeline("p").payload("x").build()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                Job job = queue.poll(30, TimeUnit.SECONDS);
                assertNotNull("consumed over SASL", job);
                assertEquals("over-sasl", job.id());
                job.settle(Settlement.ack());

                Map<String, Object> wrongOptions = kafka.options("q", topic);
                KafkaDriver wrong = kafka.driver(new SharedTestQueue("q"), ConnectionSettings.of(Map.of("brokers",
                        sasl, "ping.timeout", "2s", "sasl.mechanism", "plain", "sasl.username", "alice",
                        "sasl.password", "not-" + PASSWORD)), wrongOptions);
                wrong.run(Pipeline.of(wrongOptions));
                Poll.until("the state says the login failed", Duration.ofSeconds(30), Duration.ofMillis(100),
                        () -> wrong.state().errorMessage().toLowerCase().contains("authentication"),
                        () -> wrong.state().toString());
                assertFalse(wrong.state().errorMessage().contains(PASSWORD));
                try {
                    wrong.push(Message.builder("j").pipeline("q").build()).toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                    fail("pushed with a wrong password");
                } catch (ExecutionException e) {
                    JobsException refused = (JobsException) e.getCause();
                    assertTrue(refused.getMessage(), refused.getMessage().toLowerCase().contains("authentication"));
                    assertFalse(refused.getMessage().contains(PASSWORD));
                }
            } finally {
                kafka.after();
            }
        }
    }
}
