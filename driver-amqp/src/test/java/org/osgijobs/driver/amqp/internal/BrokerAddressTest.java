package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.osgijobs.api.JobsException;

public class BrokerAddressTest {

    @Test
    public void trailingSlashMeansTheDefaultVhostAsInRoadRunner() {
        BrokerAddress a = BrokerAddress.parse("amqp://guest:guest@127.0.0.1:5672/");
        assertEquals("/", a.vhost());
        assertEquals("127.0.0.1", a.host());
        assertEquals(5672, a.port());
        assertEquals("guest", a.username());
        assertEquals("guest", a.password());
        assertFalse(a.tls());
    }

    @Test
    public void noPathMeansTheDefaultVhostToo() {
        assertEquals("/", BrokerAddress.parse("amqp://u:p@rabbit").vhost());
        assertEquals(5672, BrokerAddress.parse("amqp://u:p@rabbit").port());
    }

    @Test
    public void aPathNamesTheVhostAndEscapedSlashesBelongToIt() {
        assertEquals("jobs", BrokerAddress.parse("amqp://u:p@h:5672/jobs").vhost());
        assertEquals("/", BrokerAddress.parse("amqp://u:p@h:5672/%2F").vhost());
        assertEquals("a/b", BrokerAddress.parse("amqp://u:p@h/a%2Fb").vhost());
    }

    @Test
    public void blankMeansRoadRunnersDefault() {
        BrokerAddress a = BrokerAddress.parse(" ");
        assertEquals("127.0.0.1", a.host());
        assertEquals("/", a.vhost());
        assertEquals("guest", a.username());
    }

    @Test
    public void amqpsDefaultsToPort5671() {
        BrokerAddress a = BrokerAddress.parse("amqps://u:p@broker.example/");
        assertTrue(a.tls());
        assertEquals(5671, a.port());
    }

    @Test
    public void credentialsArePercentDecoded() {
        BrokerAddress a = BrokerAddress.parse("amqp://us%40er:p%3Aa+ss@h:1234/v");
        assertEquals("us@er", a.username());
        assertEquals("p:a+ss", a.password());
        assertEquals(1234, a.port());
    }

    @Test
    public void ipv6HostsAndQueryParameters() {
        BrokerAddress a = BrokerAddress.parse("amqp://u:p@[::1]:5673/?heartbeat=7&connection_timeout=2500");
        assertEquals("::1", a.host());
        assertEquals(5673, a.port());
        assertEquals(7, a.heartbeatSeconds());
        assertEquals(2500, a.connectionTimeoutMillis());
        assertEquals("amqp://***:***@[::1]:5673 (vhost '/')", a.toString());
    }

    @Test
    public void toStringMasksTheCredentials() {
        BrokerAddress a = BrokerAddress.parse("amqp://alice:s3cret-pw@h:5672/prod");
        String shown = a.toString();
        assertFalse(shown, shown.contains("alice"));
        assertFalse(shown, shown.contains("s3cret-pw"));
        assertEquals("amqp://***:***@h:5672 (vhost 'prod')", shown);
    }

    @Test
    public void malformedAddressesAreNamedWithoutCredentials() {
        String[] bad = {"http://alice:s3cret-pw@h:5672/", "amqp://alice:s3cret-pw@h:port/",
            "amqp://alice:s3cret-pw@h:70000/", "alice:s3cret-pw@h:5672", "amqp://alice:s3cret-pw@h/a/b",
            "amqp://alice:s3cret-pw@h/?frame_max=1", "amqp:/alice:s3cret-pw@h/", "amqp://alice:s3cret-pw@[::1/",
            "amqp://alice:s3cret-pw@h/?heartbeat=-1"};
        for (String addr : bad) {
            JobsException e = assertThrows(addr, JobsException.class, () -> BrokerAddress.parse(addr));
            assertTrue(e.getMessage(), e.getMessage().startsWith("jobs.amqp: option 'addr' is malformed: "));
            assertFalse(e.getMessage(), e.getMessage().contains("alice"));
            assertFalse(e.getMessage(), e.getMessage().contains("s3cret-pw"));
        }
    }

    @Test
    public void errorsSayWhatIsWrong() {
        assertTrue(assertThrows(JobsException.class, () -> BrokerAddress.parse("amqp://u:p@h:port/")).getMessage()
                .contains("the port 'port' is not a number"));
        assertTrue(assertThrows(JobsException.class, () -> BrokerAddress.parse("redis://h/")).getMessage()
                .contains("amqp or amqps"));
        assertTrue(assertThrows(JobsException.class, () -> BrokerAddress.parse("amqp://h/?foo=1")).getMessage()
                .contains("unknown query parameter 'foo'"));
    }
}
