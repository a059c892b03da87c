package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The distribution's HTTP API: the first start writes a bearer token into conf/jobs.http.cfg (owner-readable) and
 * says where it is without printing it; the API, metrics and health answer on the loopback port; a change needs
 * the token; a second start keeps the token.
 */
public class HttpApiDistributionIT {
    private static final Pattern PORT = Pattern.compile("Started Jetty \\S+ at port\\(s\\) HTTP:(\\d+)");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    public void theFirstStartGeneratesATokenThatChangesNeed() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Path cfg = dist.conf("jobs.http.cfg");
        assertFalse(Files.exists(cfg));
        String token;
        try (Run run = dist.start("--no-console")) {
            run.awaitLog("HTTP API at /jobs (changes need the bearer token", 1, Duration.ofSeconds(60));
            assertTrue(run.log(), run.log().contains("was generated into " + cfg));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg)));
            token = Files.readAllLines(cfg).stream().filter(l -> l.startsWith("token=")).findFirst().orElseThrow()
                    .substring(6);
            assertTrue(token, token.length() >= 40);
            Matcher m = PORT.matcher(run.log());
            assertTrue(run.log(), m.find());
            String base = "http://127.0.0.1:" + m.group(1);

            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/jobs/pipelines")).GET()).statusCode());
            HttpRequest.Builder push = HttpRequest.newBuilder(URI.create(base + "/jobs/pipelines/default/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"log\",\"payload\":\"over http\"}"));
            assertEquals(401, send(push).statusCode());
            assertEquals(202, send(push.header("Authorization", "Bearer " + token)).statusCode());
            run.awaitLog("over http", 1, Duration.ofSeconds(30));
            HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body(), metrics.body().contains(
                    "jobs_pushed_total{pipeline=\"default\",driver=\"memory\"} 1"));
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).GET()).statusCode());
            assertFalse("the token is never logged", run.log().contains(token) || run.stdout().contains(token));
        }
        try (Run again = dist.start("--no-console")) {
            // log/jobs.log is appended to: the second start adds its own lines
            again.awaitLog("HTTP API at /jobs (changes need the bearer token", 2, Duration.ofSeconds(60));
            assertEquals("generated once", 1, Run.count(again.log(), "was generated"));
            assertTrue(Files.readString(cfg).contains("token=" + token));
        }
    }

    /**
     * The token holds from the API's first answer: without FileInstall (which reads conf/ in its own time, so that
     * on a first start the API could otherwise answer for a moment with no token) a change is still refused.
     */
    @Test
    public void theTokenHoldsBeforeFileInstallHasReadConf() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        try (java.util.stream.Stream<Path> bundles = Files.list(dist.home().resolve("bundle"))) {
            for (Path jar : (Iterable<Path>) bundles.filter(p -> p.getFileName().toString()
                    .startsWith("org.apache.felix.fileinstall-"))::iterator) {
                Files.delete(jar);
            }
        }
        try (Run run = dist.start("--no-console")) {
            run.awaitLog("HTTP API at /jobs", 1, Duration.ofSeconds(60));
            assertTrue(run.log(), run.log().contains("HTTP API at /jobs (changes need the bearer token"));
            Matcher m = PORT.matcher(run.log());
            assertTrue(run.log(), m.find());
            HttpResponse<String> declare = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1)
                    + "/jobs/pipelines")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\",\"driver\":\"memory\"}")));
            assertEquals(declare.body(), 401, declare.statusCode());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
