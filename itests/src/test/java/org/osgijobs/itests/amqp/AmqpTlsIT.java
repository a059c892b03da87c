package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.State;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.TlsFiles;
import org.osgijobs.testing.TlsTerminatingProxy;

/** The driver reaches the broker over TLS with a CA and a client certificate, and refuses a server it distrusts. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpTlsIT extends AmqpItestSupport {

    private TlsFiles files;
    private TlsTerminatingProxy proxy;

    @Before
    public void tlsProxy() throws Exception {
        files = TlsFiles.in(Path.of(System.getProperty(ItestBundles.WORK_DIR_PROPERTY, "target/felix"), "amqp-tls"));
        proxy = new TlsTerminatingProxy(files, RabbitMqBroker.PORT);
    }

    @After
    public void closeProxy() throws Exception {
        proxy.close();
    }

    private void connectWith(String rootCa) {
        useBroker(Map.of("addr", "amqps://guest:guest@127.0.0.1:" + proxy.port() + "/",
                "tls.root_ca", rootCa, "tls.cert", files.clientCert().toString(), "tls.key",
                files.clientKeyPkcs8().toString(),
                "tls.client_auth_type", "require_and_verify_client_cert"));
    }

    @Test
    public void jobsFlowOverTlsWithTheCaAndTheClientCertificate() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "tls.job");
        connectWith(files.ca().toString());
        String q = queueName("tls");
        declare(amqpPipeline("amqp-tls", "queue", q, "routing_key", q));
        awaitState("amqp-tls", "connected over TLS", s -> s.errorMessage().isEmpty());
        jobs().resume("amqp-tls");
        String id = push("amqp-tls", "tls.job", "secret payload");
        await("processed", () -> handler.runsOf(id) == 1);
        assertTrue("the connection went through the TLS proxy", proxy.accepted() >= 1);
    }

    @Test
    public void aServerSignedByAnotherCaIsRefusedWithAClearError() {
        connectWith(files.otherCa().toString());
        declare(amqpPipeline("amqp-distrust", "queue", queueName("distrust"), "timeout", "3"));
        State s = awaitState("amqp-distrust", "the refusal is reported",
                st -> st.errorMessage().contains("TLS"));
        assertTrue(s.errorMessage(), s.errorMessage().contains("the broker's certificate is not trusted"));
        JobsException e = expectThrows(JobsException.class,
                () -> jobs().push(org.osgijobs.api.Message.builder("tls.job").pipeline("amqp-distrust").build()));
        assertTrue(e.getMessage(), e.getMessage().contains("not trusted"));
    }
}
