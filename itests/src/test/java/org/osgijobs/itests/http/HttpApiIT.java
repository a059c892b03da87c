package org.osgijobs.itests.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.JobsException.Kind;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.ScriptedDriver;

/**
 * The HTTP API on Felix with the real HTTP service (Jetty on a free loopback port): every resource, every error
 * status with its JSON body, the token rule, the Origin check, the body limit, and concurrent pushes from several
 * clients counted with a ledger.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpApiIT extends HttpItestSupport {

    @Test
    public void everyResourceWorksEndToEnd() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "http.job");
        destroyAfterTest("web");

        Answer declared = post("/jobs/pipelines", "{\"name\":\"web\",\"driver\":\"memory\",\"priority\":4}");
        assertEquals(declared.toString(), 201, declared.status);
        assertEquals("web", declared.json().get("pipeline").textValue());
        assertEquals(4, jobs().stat("web").priority());

        Answer resumed = post("/jobs/pipelines/web/resume", null);
        assertEquals(resumed.toString(), 200, resumed.status);
        awaitState("web", "consuming", s -> s.ready());

        Answer pushed = post("/jobs/pipelines/web/jobs", "{\"name\":\"http.job\",\"payload\":\"héllo\","
                + "\"headers\":{\"to\":\"a@b.c\",\"tags\":[\"x\",\"y\"]},\"id\":\"web-1\",\"priority\":2}");
        assertEquals(pushed.toString(), 202, pushed.status);
        assertEquals("web-1", pushed.json().get("id").textValue());
        String base64 = Base64.getEncoder().encodeToString("ünïcode bytes".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, post("/jobs/pipelines/web/jobs", "{\"name\":\"http.job\",\"id\":\"web-2\","
                + "\"payload\":\"" + base64 + "\",\"payload_encoding\":\"base64\"}").status);
        await("both ran", () -> handler.count() == 2);
        RecordingHandler.Run first = handler.runsOfJob("web-1").get(0);
        assertEquals("héllo", first.payload());
        assertEquals(List.of("a@b.c"), first.headers().get("to"));
        assertEquals(List.of("x", "y"), first.headers().get("tags"));
        assertEquals(2, first.priority());
        assertEquals("ünïcode bytes", handler.runsOfJob("web-2").get(0).payload());

        Answer batch = post("/jobs/pipelines/web/jobs/batch", "{\"jobs\":[{\"name\":\"http.job\",\"id\":\"b1\"},"
                + "{\"name\":\"http.job\",\"delay\":-1},{\"name\":\"http.job\",\"id\":\"b3\"}]}");
        assertEquals(batch.toString(), 200, batch.status);
        JsonNode results = batch.json().get("results");
        assertEquals(2, batch.json().get("accepted").intValue());
        assertEquals(202, results.get(0).get("status").intValue());
        assertEquals(400, results.get(1).get("status").intValue());
        assertEquals("jobs[1].delay", results.get(1).get("error").get("field").textValue());
        assertEquals("b3", results.get(2).get("id").textValue());
        await("the batch ran", () -> handler.runsOf("b1") == 1 && handler.runsOf("b3") == 1);

        Answer list = get("/jobs/pipelines");
        assertEquals(200, list.status);
        JsonNode web = null;
        for (JsonNode p : list.json().get("pipelines")) {
            if (p.get("pipeline").textValue().equals("web")) {
                web = p;
            }
        }
        assertEquals("memory", web.get("driver").textValue());
        JsonNode one = get("/jobs/pipelines/web").json();
        assertEquals(jobs().stats("web").pushed(), one.get("stats").get("pushed").longValue());
        assertEquals(4, one.get("stats").get("pushed").longValue());

        Answer paused = post("/jobs/pipelines/web/pause", null);
        assertEquals(200, paused.status);
        assertFalse(paused.json().get("ready").booleanValue());
        assertFalse(jobs().stat("web").ready());

        Answer destroyed = delete("/jobs/pipelines/web");
        assertEquals(destroyed.toString(), 204, destroyed.status);
        assertFalse(jobs().list().contains("web"));
        get("/jobs/pipelines/web").error(404);

        Answer openApi = get("/jobs/openapi.json");
        assertEquals(200, openApi.status);
        assertEquals("3.0.3", openApi.json().get("openapi").textValue());
        assertEquals("/jobs", openApi.json().get("servers").get(0).get("url").textValue());
        assertTrue(openApi.json().get("paths").has("/pipelines/{name}/jobs/batch"));
    }

    @Test
    public void aDeadLetterIsListedAndRunsAgainInThePipelineItFailedIn() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean fixed = new java.util.concurrent.atomic.AtomicBoolean();
        RecordingHandler succeeded = new RecordingHandler();
        registerHandler(job -> {
            if (!fixed.get()) {
                throw new IllegalStateException("the mail server is down");
            }
            succeeded.handle(job);
        }, "http.flaky");
        declare(Map.of("name", "web-dead", "driver", "memory"));
        declare(Map.of("name", "web-work", "driver", "memory", "max_attempts", "1",
                "dead_letter_pipeline", "web-dead"));
        jobs().resume("web-work");
        assertEquals(202, post("/jobs/pipelines/web-work/jobs", "{\"name\":\"http.flaky\",\"id\":\"flaky-1\","
                + "\"payload\":\"to bob\"}").status);
        await("dead-lettered", () -> jobs().stats("web-work").deadLettered() == 1);

        Answer listed = get("/jobs/pipelines/web-dead/jobs?limit=10");
        assertEquals(listed.toString(), 200, listed.status);
        JsonNode letter = listed.json().get("jobs").get(0);
        assertEquals("flaky-1", letter.get("id").textValue());
        assertEquals("to bob", letter.get("payload").textValue());
        assertEquals("web-work", letter.get("headers").get("x-jobs-dead-letter-from").get(0).textValue());
        assertTrue(letter.toString(), letter.get("headers").get("x-jobs-error").get(0).textValue()
                .contains("the mail server is down"));

        fixed.set(true);
        Answer again = post("/jobs/pipelines/web-dead/jobs/flaky-1/run-again", null);
        assertEquals(again.toString(), 200, again.status);
        assertEquals("web-work", again.json().get("pipeline").textValue());
        await("ran again", () -> succeeded.runsOf("flaky-1") == 1);
        assertEquals("from attempt 1", 1, succeeded.runsOfJob("flaky-1").get(0).attempt());
        assertEquals(0, get("/jobs/pipelines/web-dead/jobs").json().get("jobs").size());
        post("/jobs/pipelines/web-dead/jobs/flaky-1/run-again", null).error(400);
    }

    @Test
    public void everyErrorHasItsStatusAndAJsonBodyNamingTheField() throws Exception {
        declare(memoryPipeline("errs"));
        assertEquals("name", post("/jobs/pipelines/errs/jobs", "{\"payload\":\"x\"}").error(400).get("field")
                .textValue());
        assertEquals("priority", post("/jobs/pipelines/errs/jobs", "{\"name\":\"j\",\"priority\":\"high\"}")
                .error(400).get("field").textValue());
        assertEquals("body", post("/jobs/pipelines/errs/jobs", "{not json").error(400).get("field").textValue());
        assertEquals("priority", post("/jobs/pipelines", "{\"name\":\"errs2\",\"driver\":\"memory\","
                + "\"priority\":\"high\"}").error(400).get("field").textValue());
        assertEquals("UNKNOWN_PIPELINE", post("/jobs/pipelines/nope/jobs", "{\"name\":\"j\"}").error(404)
                .get("kind").textValue());
        get("/jobs/nothing-here").error(404);
        Answer notAllowed = get("/jobs/pipelines/errs/pause");
        notAllowed.error(405);
        assertEquals("POST", notAllowed.header("Allow"));
        assertTrue("GET changed nothing", jobs().stat("errs").ready() == false);
        assertEquals("name", post("/jobs/pipelines", "{\"name\":\"errs\",\"driver\":\"memory\"}").error(409)
                .get("field").textValue());
        Answer text = send(HttpRequest.newBuilder(uri("/jobs/pipelines/errs/jobs")).header("Content-Type",
                "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"j\"}")));
        assertEquals("Content-Type", text.error(415).get("field").textValue());
        assertEquals(0, jobs().stats("errs").pushed());
    }

    @Test
    public void driverFailuresMapToRetryableAndFinalStatuses() throws Exception {
        ScriptedDriver driver = new ScriptedDriver("scripted-errs");
        ScriptedDriver.Factory factory = new ScriptedDriver.Factory().prepare(driver);
        register(Constructor.class, factory, Map.of("driver.name", ScriptedDriver.KIND));
        declare(Map.of("name", "scripted-errs", "driver", ScriptedDriver.KIND));
        await("the scripted driver is built", () -> driver.context() != null);
        Object[][] cases = {
                {Kind.UNAVAILABLE, "pipeline 'scripted-errs': full: 3 jobs wait", 429, "1"},
                {Kind.UNAVAILABLE, "pipeline 'scripted-errs': broker unreachable", 503, "1"},
                {Kind.REJECTED, "pipeline 'scripted-errs': the broker refused it", 502, null},
                {Kind.OUTCOME_UNKNOWN, "pipeline 'scripted-errs': not confirmed in time", 504, null},
        };
        for (Object[] c : cases) {
            driver.pushesFail(new JobsException((Kind) c[0], (String) c[1]));
            Answer a = post("/jobs/pipelines/scripted-errs/jobs", "{\"name\":\"j\"}");
            JsonNode error = a.error((Integer) c[2]);
            assertEquals(a.toString(), c[0].toString(), error.get("kind").textValue());
            assertTrue(a.toString(), error.get("message").textValue().contains((String) c[1]));
            assertEquals(a.toString(), c[3], a.header("Retry-After"));
        }
        driver.pushesSucceed();
        assertEquals(202, post("/jobs/pipelines/scripted-errs/jobs", "{\"name\":\"j\",\"id\":\"ok\"}").status);
        assertEquals(List.of("ok"), driver.receivedIds().subList(driver.receivedIds().size() - 1,
                driver.receivedIds().size()));
    }

    @Test
    public void withATokenOnlyBearersChangeThingsAndNobodyElse() throws Exception {
        declare(memoryPipeline("guarded"));
        String token = "tok-" + System.nanoTime();
        setConfig("jobs.http", Map.of("token", token));
        await("the token is required", () -> post("/jobs/pipelines/guarded/pause", null).status == 401);
        Answer missing = post("/jobs/pipelines/guarded/jobs", "{\"name\":\"j\"}");
        assertEquals("Authorization", missing.error(401).get("field").textValue());
        assertEquals("Bearer realm=\"jobs\"", missing.header("WWW-Authenticate"));
        Answer wrong = post("/jobs/pipelines/guarded/jobs", "{\"name\":\"j\"}", "Authorization",
                "Bearer not-" + token);
        wrong.error(401);
        assertFalse(wrong.text.contains(token));
        delete("/jobs/pipelines/guarded").error(401);
        assertEquals(0, jobs().stats("guarded").pushed());
        assertTrue(jobs().list().contains("guarded"));
        assertEquals("reads need no token", 200, get("/jobs/pipelines/guarded").status);
        assertEquals(202, post("/jobs/pipelines/guarded/jobs", "{\"name\":\"j\"}", "Authorization",
                "Bearer " + token).status);
        assertEquals(1, jobs().stats("guarded").pushed());
    }

    @Test
    public void changesFromAnotherOriginAreRefused() throws Exception {
        declare(memoryPipeline("origins"));
        Answer evil = post("/jobs/pipelines/origins/jobs", "{\"name\":\"j\"}", "Origin", "http://evil.example");
        assertEquals("Origin", evil.error(403).get("field").textValue());
        post("/jobs/pipelines/origins/resume", null, "Origin", "http://127.0.0.1:1").error(403);
        assertFalse(jobs().stat("origins").ready());
        assertEquals(0, jobs().stats("origins").pushed());
        assertEquals(202, post("/jobs/pipelines/origins/jobs", "{\"name\":\"j\"}", "Origin",
                "http://127.0.0.1:" + port()).status);
    }

    @Test
    public void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        declare(memoryPipeline("limits"));
        setConfig("jobs.http", Map.of("max_body_bytes", 1024));
        String big = "{\"name\":\"j\",\"payload\":\"" + "x".repeat(2000) + "\"}";
        await("the limit applies", () -> post("/jobs/pipelines/limits/jobs", big).status == 413);
        assertEquals("body", post("/jobs/pipelines/limits/jobs", big).error(413).get("field").textValue());
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        Answer chunked = send(HttpRequest.newBuilder(uri("/jobs/pipelines/limits/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        chunked.error(413);
        assertEquals(202, post("/jobs/pipelines/limits/jobs", "{\"name\":\"j\",\"payload\":\"small\"}").status);
        assertEquals(1, jobs().stats("limits").pushed());
    }

    @Test
    public void concurrentClientsLoseNothing() throws Exception {
        Ledger ledger = new Ledger("http");
        RecordingHandler handler = new RecordingHandler(ledger);
        registerHandler(handler, "load.job");
        declare(memoryPipeline("load"));
        jobs().resume("load");
        int clients = 6;
        int perClient = 300;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    HttpApiIT.this.pushFromOneClient(ledger, client, perClient);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ledger.refusals().toString(), clients * perClient, ledger.acceptedCount());
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
        ledger.assertNoneLost();
        assertEquals(0, ledger.duplicates());
        assertEquals(clients * perClient, jobs().stats("load").pushed());
    }

    private void pushFromOneClient(Ledger ledger, int client, int count) {
        HttpItestSupport own = this; // one HttpClient per test instance keeps connections alive across threads
        for (int i = 0; i < count; i++) {
            String id = "c" + client + "-" + i;
            ledger.pushed(id);
            Answer a = i % 10 == 9
                    ? own.post("/jobs/pipelines/load/jobs/batch", "{\"jobs\":[{\"name\":\"load.job\",\"id\":\"" + id
                            + "\"}]}")
                    : own.post("/jobs/pipelines/load/jobs", "{\"name\":\"load.job\",\"id\":\"" + id + "\"}");
            boolean ok = a.status == 202 || (a.status == 200 && a.json().get("accepted").intValue() == 1);
            if (ok) {
                ledger.accepted(id);
            } else {
                ledger.refused(id, a.toString());
            }
        }
    }

    @Test
    public void theBasePathIsConfigurable() throws Exception {
        setConfig("jobs.http", Map.of("base_path", "/ops/jobs"));
        await("the API moved", () -> get("/ops/jobs/pipelines").status == 200);
        assertEquals("nothing at the old path", 404, get("/jobs/pipelines").status);
        assertEquals("/ops/jobs", get("/ops/jobs/openapi.json").json().get("servers").get(0).get("url").textValue());
    }

    @Test
    public void headAnswersLikeGetWithoutABody() {
        Answer head = send(HttpRequest.newBuilder(uri("/jobs/pipelines")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.status);
        assertNull(head.text.isEmpty() ? null : head.text);
    }
}
