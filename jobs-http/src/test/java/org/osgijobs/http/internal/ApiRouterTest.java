package org.osgijobs.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.Message;

public class ApiRouterTest {

    private static final String TOKEN = "s3cret-t0ken";

    private final ObjectMapper json = Json.mapper();
    private final FakeJobs jobs = new FakeJobs().with("default");

    private ApiRouter router(String token, List<String> origins, boolean remote) {
        return new ApiRouter(jobs, jobs, new RequestGuard(token, origins, remote), json, new Errors(json, 2),
                "{\"openapi\":\"3.0.3\"}".getBytes(StandardCharsets.UTF_8));
    }

    private final ApiRouter open = router("", List.of(), false);

    private static ApiRequest request(String method, String path, String body, Map<String, String> headers,
            String remote) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("Host", "127.0.0.1:8080");
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        h.putAll(headers);
        String[] pathAndQuery = path.split("\\?", 2);
        return new ApiRequest(method, pathAndQuery[0], h::get,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), remote, "http",
                QueryString.parse(pathAndQuery.length > 1 ? pathAndQuery[1] : null)::get);
    }

    private static ApiRequest request(String method, String path, String body) {
        return request(method, path, body, Map.of(), "127.0.0.1");
    }

    private JsonNode body(ApiResponse r) throws Exception {
        return json.readTree(r.body());
    }

    private void assertError(ApiResponse r, int status, String kind, String field) throws Exception {
        assertEquals(new String(r.body(), StandardCharsets.UTF_8), status, r.status());
        JsonNode error = body(r).get("error");
        assertEquals(status, error.get("status").intValue());
        assertEquals(kind, error.get("kind").textValue());
        if (field == null) {
            assertNull(error.toString(), error.get("field"));
        } else {
            assertEquals(error.toString(), field, error.get("field").textValue());
        }
        assertFalse(error.get("message").textValue().isEmpty());
    }

    @Test
    public void pushOneTakesEveryOptionOfPush() throws Exception {
        ApiResponse r = open.handle(request("POST", "/pipelines/default/jobs", "{\"name\":\"mail.send\","
                + "\"payload\":\"héllo\",\"headers\":{\"to\":\"a@b.c\",\"tags\":[\"x\",\"y\"]},\"priority\":5,"
                + "\"delay\":30,\"id\":\"job-1\",\"auto_ack\":true}"));
        assertEquals(202, r.status());
        assertEquals("job-1", body(r).get("id").textValue());
        Message m = jobs.pushed.get(0);
        assertEquals("mail.send", m.name());
        assertEquals("default", m.pipeline());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), m.payload());
        assertEquals(List.of("a@b.c"), m.headers().get("to"));
        assertEquals(List.of("x", "y"), m.headers().get("tags"));
        assertEquals(5, m.priority());
        assertEquals(30, m.delay());
        assertTrue(m.autoAck());
    }

    @Test
    public void aBase64PayloadIsDecodedAndAMissingIdIsGenerated() throws Exception {
        ApiResponse r = open.handle(request("POST", "/pipelines/default/jobs",
                "{\"name\":\"bin\",\"payload\":\"AAH/\",\"payload_encoding\":\"base64\"}"));
        assertEquals(202, r.status());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, jobs.pushed.get(0).payload());
        assertEquals(jobs.pushed.get(0).id(), body(r).get("id").textValue());
        assertFalse(jobs.pushed.get(0).id().isEmpty());
    }

    @Test
    public void theWaitingJobsAreListedInThePushShapeAndADeadLetterRunsAgain() throws Exception {
        jobs.with("failed").stored.put("failed", new java.util.ArrayList<>(List.of(
                Message.builder("mail").id("m-1").pipeline("failed").payload("to bob").priority(3)
                        .header("x-jobs-dead-letter-from", "default").header("x-jobs-error", "smtp down").build(),
                Message.builder("bin").id("m-2").pipeline("failed").payload(new byte[] {0, (byte) 0xff}).build())));

        ApiResponse list = open.handle(request("GET", "/pipelines/failed/jobs?limit=5", null));
        assertEquals(200, list.status());
        assertEquals("waiting failed 5", jobs.calls.get(0));
        JsonNode listed = body(list).get("jobs");
        assertEquals(2, listed.size());
        assertEquals("m-1", listed.get(0).get("id").textValue());
        assertEquals("to bob", listed.get(0).get("payload").textValue());
        assertEquals("smtp down", listed.get(0).get("headers").get("x-jobs-error").get(0).textValue());
        assertEquals(3, listed.get(0).get("priority").intValue());
        assertEquals("AP8=", listed.get(1).get("payload").textValue());
        assertEquals("base64", listed.get(1).get("payload_encoding").textValue());
        assertEquals("without a limit, 100", 200, open.handle(request("GET", "/pipelines/failed/jobs", null)).status());
        assertEquals("waiting failed 100", jobs.calls.get(1));
        assertError(open.handle(request("GET", "/pipelines/failed/jobs?limit=many", null)), 400, "BAD_INPUT", "limit");
        assertError(open.handle(request("GET", "/pipelines/failed/jobs?limit=0", null)), 400, "BAD_INPUT", null);

        ApiResponse again = open.handle(request("POST", "/pipelines/failed/jobs/m-1/run-again", null));
        assertEquals(200, again.status());
        assertEquals("default", body(again).get("pipeline").textValue());
        assertEquals("m-1", body(again).get("id").textValue());
        assertError(open.handle(request("POST", "/pipelines/failed/jobs/m-1/run-again", null)), 400, "BAD_INPUT",
                null);
        assertEquals(405, open.handle(request("GET", "/pipelines/failed/jobs/m-2/run-again", null)).status());
        assertError(open.handle(request("GET", "/pipelines/nowhere/jobs", null)), 404, "UNKNOWN_PIPELINE", null);
    }

    @Test
    public void runAgainIsAChangeAndNeedsTheToken() throws Exception {
        jobs.with("failed");
        ApiRouter guarded = router(TOKEN, List.of(), false);
        assertEquals(401, guarded.handle(request("POST", "/pipelines/failed/jobs/m-1/run-again", null)).status());
        assertEquals("nothing was asked of the runtime", List.of(), jobs.calls);
    }

    @Test
    public void badJobsAreRefusedNamingTheField() throws Exception {
        String[][] cases = {
                {"{\"payload\":\"x\"}", "name"},
                {"{\"name\":\"\"}", "name"},
                {"{\"name\":7}", "name"},
                {"{\"name\":\"j\",\"prio\":1}", "prio"},
                {"{\"name\":\"j\",\"priority\":-1}", "priority"},
                {"{\"name\":\"j\",\"priority\":\"high\"}", "priority"},
                {"{\"name\":\"j\",\"priority\":1.5}", "priority"},
                {"{\"name\":\"j\",\"delay\":99999999999}", "delay"},
                {"{\"name\":\"j\",\"auto_ack\":\"yes\"}", "auto_ack"},
                {"{\"name\":\"j\",\"id\":\" \"}", "id"},
                {"{\"name\":\"j\",\"payload\":\"%%%\",\"payload_encoding\":\"base64\"}", "payload"},
                {"{\"name\":\"j\",\"payload_encoding\":\"hex\"}", "payload_encoding"},
                {"{\"name\":\"j\",\"headers\":[1]}", "headers"},
                {"{\"name\":\"j\",\"headers\":{\"to\":1}}", "headers.to"},
                {"{\"name\":\"j\",\"headers\":{\"to\":[1]}}", "headers.to"},
                {"[1]", "body"},
                {"{\"name\":", "body"},
                {"{\"name\":\"j\"} trailing", "body"},
        };
        for (String[] c : cases) {
            assertError(open.handle(request("POST", "/pipelines/default/jobs", c[0])), 400, "BAD_INPUT", c[1]);
        }
        assertError(open.handle(request("POST", "/pipelines/default/jobs", "")), 400, "BAD_INPUT", "body");
        assertTrue(jobs.pushed.isEmpty());
    }

    @Test
    public void eachFailureKindHasItsStatusAndRetryAfterWhereRetryingHelps() throws Exception {
        Object[][] cases = {
                {new JobsException(Kind.BAD_INPUT, "job 'j': over max_job_size"), 400, null},
                {new JobsException(Kind.UNAVAILABLE, "pipeline 'default': full: 10 jobs"), 429, "2"},
                {new JobsException(Kind.UNAVAILABLE, "pipeline 'default': driver amqp unavailable"), 503, "2"},
                {new JobsException(Kind.REJECTED, "pipeline 'default': nack"), 502, null},
                {new JobsException(Kind.OUTCOME_UNKNOWN, "not confirmed within 60 s"), 504, null},
        };
        for (Object[] c : cases) {
            JobsException e = (JobsException) c[0];
            jobs.pushFailure = e;
            ApiResponse r = open.handle(request("POST", "/pipelines/default/jobs", "{\"name\":\"j\"}"));
            assertError(r, (Integer) c[1], e.kind().name(), null);
            assertEquals(e.getMessage(), body(r).get("error").get("message").textValue());
            assertEquals(c[2], r.headers().get("Retry-After"));
        }
        jobs.pushFailure = null;
        assertError(open.handle(request("POST", "/pipelines/nope/jobs", "{\"name\":\"j\"}")), 404,
                "UNKNOWN_PIPELINE", null);
    }

    @Test
    public void aBatchAnswersEveryJobInOrder() throws Exception {
        ApiResponse r = open.handle(request("POST", "/pipelines/default/jobs/batch", "{\"jobs\":["
                + "{\"name\":\"a\",\"id\":\"1\"},{\"name\":\"b\",\"priority\":\"x\"},{\"name\":\"refuse\",\"id\":\"3\"},"
                + "{\"name\":\"c\",\"id\":\"4\"}]}"));
        assertEquals(200, r.status());
        JsonNode b = body(r);
        assertEquals(2, b.get("accepted").intValue());
        assertEquals(2, b.get("failed").intValue());
        JsonNode results = b.get("results");
        assertEquals(4, results.size());
        assertEquals(202, results.get(0).get("status").intValue());
        assertEquals("1", results.get(0).get("id").textValue());
        assertEquals(400, results.get(1).get("status").intValue());
        assertEquals("jobs[1].priority", results.get(1).get("error").get("field").textValue());
        assertEquals(502, results.get(2).get("status").intValue());
        assertEquals("REJECTED", results.get(2).get("error").get("kind").textValue());
        assertEquals(202, results.get(3).get("status").intValue());
        assertEquals(2, jobs.pushed.size());
        assertError(open.handle(request("POST", "/pipelines/default/jobs/batch", "{\"jobs\":{}}")), 400,
                "BAD_INPUT", "jobs");
        assertError(open.handle(request("POST", "/pipelines/default/jobs/batch", "{\"jobs\":[],\"x\":1}")), 400,
                "BAD_INPUT", "jobs");
    }

    @Test
    public void listOneDeclarePauseResumeDestroy() throws Exception {
        ApiResponse declared = open.handle(request("POST", "/pipelines",
                "{\"name\":\"reports\",\"driver\":\"memory\",\"priority\":3,\"prefetch\":\"10\"}"));
        assertEquals(201, declared.status());
        assertEquals("reports", body(declared).get("pipeline").textValue());
        assertEquals("pipelines/reports", declared.headers().get("Location"));
        assertTrue(jobs.calls.contains("declare {driver=memory, name=reports, prefetch=10, priority=3}"));
        assertError(open.handle(request("POST", "/pipelines", "{\"name\":\"reports\",\"driver\":\"memory\"}")), 409,
                "CONFLICT", "name");
        assertError(open.handle(request("POST", "/pipelines", "{\"name\":\"r2\"}")), 400, "BAD_INPUT", "driver");
        assertError(open.handle(request("POST", "/pipelines", "{\"driver\":\"memory\"}")), 400, "BAD_INPUT", "name");
        assertError(open.handle(request("POST", "/pipelines", "{\"name\":\"r3\",\"driver\":\"memory\",\"x\":{}}")),
                400, "BAD_INPUT", "x");
        assertError(open.handle(request("POST", "/pipelines",
                "{\"name\":\"r4\",\"driver\":\"memory\",\"priority\":\"high\"}")), 400, "BAD_INPUT", "priority");

        JsonNode list = body(open.handle(request("GET", "/pipelines", null))).get("pipelines");
        assertEquals(2, list.size());
        assertEquals("default", list.get(0).get("pipeline").textValue());
        assertEquals(0, list.get(0).get("stats").get("pushed").intValue());

        assertEquals(200, open.handle(request("POST", "/pipelines/reports/pause", null)).status());
        JsonNode one = body(open.handle(request("GET", "/pipelines/reports", null)));
        assertFalse(one.get("ready").booleanValue());
        assertTrue(one.has("stats"));
        ApiResponse resumed = open.handle(request("POST", "/pipelines/reports/resume", null));
        assertTrue(body(resumed).get("ready").booleanValue());
        assertEquals(204, open.handle(request("DELETE", "/pipelines/reports", null)).status());
        assertError(open.handle(request("GET", "/pipelines/reports", null)), 404, "UNKNOWN_PIPELINE", null);
        assertError(open.handle(request("DELETE", "/pipelines/reports", null)), 404, "UNKNOWN_PIPELINE", null);
        assertError(open.handle(request("POST", "/pipelines/reports/pause", null)), 404, "UNKNOWN_PIPELINE", null);
    }

    @Test
    public void getNeverChangesAnythingAndUnknownRoutesAre404() throws Exception {
        ApiResponse r = open.handle(request("GET", "/pipelines/default/pause", null));
        assertError(r, 405, "METHOD_NOT_ALLOWED", null);
        assertEquals("POST", r.headers().get("Allow"));
        assertError(open.handle(request("GET", "/pipelines/default/jobs/batch", null)), 405, "METHOD_NOT_ALLOWED",
                null);
        assertEquals("GET, DELETE", open.handle(request("PUT", "/pipelines/default", null)).headers().get("Allow"));
        assertTrue(jobs.calls.isEmpty());
        assertError(open.handle(request("GET", "/nothing", null)), 404, "NOT_FOUND", null);
        assertError(open.handle(request("GET", "", null)), 404, "NOT_FOUND", null);
        assertError(open.handle(request("GET", "/pipelines/a/b/c/d", null)), 404, "NOT_FOUND", null);
        assertEquals(200, open.handle(request("GET", "/openapi.json", null)).status());
    }

    @Test
    public void theDashboardIsServedWithAPolicyThatAllowsThisOriginOnly() throws Exception {
        ApiResponse redirect = open.handle(request("GET", "/ui", null));
        assertEquals(302, redirect.status());
        assertEquals("ui/", redirect.headers().get("Location"));
        ApiResponse page = open.handle(request("GET", "/ui/", null));
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("dashboard.js"));
        assertTrue(page.headers().get("Content-Security-Policy").startsWith("default-src 'self'"));
        assertEquals(200, open.handle(request("GET", "/ui/dashboard.js", null)).status());
        assertEquals("text/css; charset=utf-8", open.handle(request("GET", "/ui/dashboard.css", null)).contentType());
        assertError(open.handle(request("GET", "/ui/../../etc/passwd", null)), 404, "NOT_FOUND", null);
        assertError(open.handle(request("GET", "/ui/nothing.js", null)), 404, "NOT_FOUND", null);
        assertError(open.handle(request("POST", "/ui/", "{}")), 405, "METHOD_NOT_ALLOWED", null);
    }

    @Test
    public void aBodyThatIsNotJsonIs415() throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain");
        assertError(open.handle(request("POST", "/pipelines/default/jobs", "{\"name\":\"j\"}", headers,
                "127.0.0.1")), 415, "BAD_INPUT", "Content-Type");
        assertTrue(jobs.pushed.isEmpty());
    }

    @Test
    public void withATokenChangesNeedItAndReadsDoNot() throws Exception {
        ApiRouter guarded = router(TOKEN, List.of(), false);
        String job = "{\"name\":\"j\"}";
        ApiResponse missing = guarded.handle(request("POST", "/pipelines/default/jobs", job));
        assertError(missing, 401, "UNAUTHORIZED", "Authorization");
        assertEquals("Bearer realm=\"jobs\"", missing.headers().get("WWW-Authenticate"));
        ApiResponse wrong = guarded.handle(request("POST", "/pipelines/default/jobs", job,
                Map.of("Authorization", "Bearer guessed-" + TOKEN), "127.0.0.1"));
        assertError(wrong, 401, "UNAUTHORIZED", "Authorization");
        assertFalse("no token in answers", new String(wrong.body(), StandardCharsets.UTF_8).contains(TOKEN));
        assertError(guarded.handle(request("DELETE", "/pipelines/default", null,
                Map.of("Authorization", "Basic " + TOKEN), "127.0.0.1")), 401, "UNAUTHORIZED", "Authorization");
        assertTrue(jobs.pushed.isEmpty());
        assertEquals(200, guarded.handle(request("GET", "/pipelines", null)).status());
        assertEquals(202, guarded.handle(request("POST", "/pipelines/default/jobs", job,
                Map.of("Authorization", "bearer " + TOKEN), "127.0.0.1")).status());
    }

    @Test
    public void changesFromAnotherOriginAreRefused() throws Exception {
        String job = "{\"name\":\"j\"}";
        assertError(open.handle(request("POST", "/pipelines/default/jobs", job,
                Map.of("Origin", "http://evil.example"), "127.0.0.1")), 403, "FORBIDDEN", "Origin");
        assertError(open.handle(request("POST", "/pipelines/default/pause", null,
                Map.of("Origin", "http://127.0.0.1:9999"), "127.0.0.1")), 403, "FORBIDDEN", "Origin");
        assertTrue(jobs.pushed.isEmpty() && jobs.calls.isEmpty());
        assertEquals(202, open.handle(request("POST", "/pipelines/default/jobs", job,
                Map.of("Origin", "http://127.0.0.1:8080"), "127.0.0.1")).status());
        ApiRouter allowing = router("", List.of("https://ops.example"), false);
        assertEquals(202, allowing.handle(request("POST", "/pipelines/default/jobs", job,
                Map.of("Origin", "https://ops.example"), "127.0.0.1")).status());
        assertEquals("reads from anywhere on this machine", 200, open.handle(request("GET", "/pipelines", null,
                Map.of("Origin", "http://evil.example"), "127.0.0.1")).status());
    }

    @Test
    public void anAllowedOriginGetsCorsAndOthersDoNot() throws Exception {
        ApiRouter allowing = router("", List.of("https://ops.example"), false);
        ApiResponse preflight = allowing.handle(request("OPTIONS", "/pipelines/default/jobs", null,
                Map.of("Origin", "https://ops.example", "Access-Control-Request-Method", "POST"), "127.0.0.1"));
        assertEquals(204, preflight.status());
        assertEquals("https://ops.example", preflight.headers().get("Access-Control-Allow-Origin"));
        assertTrue(preflight.headers().get("Access-Control-Allow-Headers").contains("Authorization"));
        ApiResponse read = allowing.handle(request("GET", "/pipelines", null, Map.of("Origin", "https://ops.example"),
                "127.0.0.1"));
        assertEquals("https://ops.example", read.headers().get("Access-Control-Allow-Origin"));
        ApiResponse foreign = allowing.handle(request("OPTIONS", "/pipelines/default/jobs", null,
                Map.of("Origin", "http://evil.example"), "127.0.0.1"));
        assertError(foreign, 403, "FORBIDDEN", "Origin");
        assertNull(foreign.headers().get("Access-Control-Allow-Origin"));
        assertNull(allowing.handle(request("GET", "/pipelines", null, Map.of("Origin", "http://evil.example"),
                "127.0.0.1")).headers().get("Access-Control-Allow-Origin"));
    }

    @Test
    public void remoteClientsAreRefusedUnlessAllowed() throws Exception {
        assertError(open.handle(request("GET", "/pipelines", null, Map.of(), "10.1.2.3")), 403, "FORBIDDEN", null);
        assertEquals(200, open.handle(request("GET", "/pipelines", null, Map.of(), "::1")).status());
        assertEquals(200, open.handle(request("GET", "/pipelines", null, Map.of(), "0:0:0:0:0:0:0:1")).status());
        assertEquals(200, router("", List.of(), true).handle(request("GET", "/pipelines", null, Map.of(),
                "10.1.2.3")).status());
    }

    @Test
    public void loopbackIsJudgedFromLiteralAddressesOnly() {
        assertTrue(RequestGuard.isLoopback("127.0.0.1"));
        assertTrue(RequestGuard.isLoopback("127.8.9.10"));
        assertTrue(RequestGuard.isLoopback("[::1]"));
        assertFalse(RequestGuard.isLoopback("localhost"));
        assertFalse(RequestGuard.isLoopback("192.168.1.1"));
        assertFalse(RequestGuard.isLoopback("fe80::1"));
        assertFalse(RequestGuard.isLoopback(null));
    }

    @Test
    public void theBasePathMustBeAPath() {
        assertEquals("/jobs", HttpApiComponent.basePath("/jobs/"));
        assertEquals("/api/jobs", HttpApiComponent.basePath(" /api/jobs "));
        for (String bad : new String[] {"", "/", "jobs", "/jobs/*", null}) {
            try {
                HttpApiComponent.basePath(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("base_path"));
            }
        }
    }
}
