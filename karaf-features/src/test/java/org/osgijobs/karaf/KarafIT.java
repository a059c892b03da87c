package org.osgijobs.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.junit.runners.MethodSorters;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;

/**
 * The features in a real Apache Karaf 4.4, as a user runs it: {@code bin/karaf server}, commands over the ssh exec
 * channel (and once through {@code bin/client -b}), pipelines from {@code etc/} files, offline. The steps build on
 * each other and run in their names' order; every step waits by polling a command's printed output or the log,
 * never by sleeping. The Karaf has no EventAdmin at all (see {@link KarafProcess}).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final String VERSION = System.getProperty("osgijobs.version");
    /** What the {@code log} example handler writes for a job: its id and pipeline. */
    private static final Pattern HANDLED = Pattern.compile("job log id=(\\S+) pipeline=(\\S+) ");

    /** The steps build on each other: after a failed one, the rest are skipped rather than failed again. */
    @Rule
    public final TestWatcher earlierFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            failedStep = description.getMethodName();
        }
    };
    private static String failedStep;

    @Before
    public void skipAfterAFailedStep() {
        Assume.assumeTrue("skipped: " + failedStep + " failed", failedStep == null);
    }

    private static KarafProcess karaf;
    private static KarafShell shell;
    private static String amqpQueue;

    @BeforeClass
    public static void startKaraf() throws Exception {
        karaf = KarafProcess.prepare(Path.of(System.getProperty("karaf.dist")),
                Path.of(System.getProperty("karaf.repository")),
                Path.of(System.getProperty("karaf.work")).resolve("karaf"));
        karaf.start();
        shell = connect();
    }

    @AfterClass
    public static void stopKaraf() {
        if (shell != null) {
            shell.close();
        }
        if (karaf != null) {
            karaf.kill();
        }
    }

    @Test
    public void step1_theFeaturesInstallOfflineWithEveryBundleActiveAndTheirFilesInEtc() throws Exception {
        shell.run("feature:repo-add mvn:org.osgijobs/karaf-features/" + VERSION + "/xml/features");
        KarafShell.Result install = shell.exec(
                "feature:install osgijobs-driver-memory osgijobs-driver-amqp osgijobs-examples", WAIT);
        assertTrue(install + "\n" + karaf.diagnostics(), install.ok());

        String bundles = shell.run("bundle:list -s -t 0");
        for (String name : new String[] { "jobs-api", "jobs-core", "driver-memory", "driver-amqp", "examples" }) {
            String row = row(bundles, "org.osgijobs." + name);
            assertTrue(name + " is not active:\n" + bundles, row.contains("Active"));
        }
        assertTrue("jobs-core starts at 85, after the drivers, and so stops first:\n" + bundles,
                row(bundles, "org.osgijobs.jobs-core").matches(".*\\b85\\b.*"));
        assertFalse("this Karaf has no EventAdmin:\n" + bundles, bundles.toLowerCase().contains("eventadmin"));
        for (String file : new String[] { "jobs.cfg", "jobs.pipeline-default.cfg", "jobs.pipeline-failed.cfg",
                "jobs.amqp.cfg" }) {
            assertTrue(file + " in etc/", Files.isRegularFile(karaf.etc(file)));
        }
        String meta = shell.run("config:meta jobs.amqp");
        assertTrue("the AMQP connection's metatype:\n" + meta, meta.contains("addr"));
    }

    @Test
    public void step2_theDefaultPipelineRunsAPushedJobAndTheCommandsPrintOverExec() throws Exception {
        awaitReady("default");
        assertEquals("pushed karaf-hello-1 to default", shell.run("jobs:push default log hello id=karaf-hello-1"));
        awaitHandled("karaf-hello-1");

        String help = shell.run("jobs:push --help");
        assertTrue(help, help.startsWith("usage: jobs:push <pipeline> <name>"));
        KarafShell.Result bad = shell.exec("jobs:stat nowhere");
        assertFalse(bad.toString(), bad.ok());
        assertTrue(bad.toString(), (bad.out() + bad.err()).contains("unknown pipeline 'nowhere'"));

        String batch = client("jobs:list\njobs:stat default\n");
        assertTrue("bin/client -b prints the results:\n" + batch, batch.contains("failed") && batch.contains("PIPELINE"));
    }

    @Test
    public void step3_anAmqpPipelineFromANewEtcFileConsumesFromRabbitMq() throws Exception {
        RabbitMqBroker.assumeReachable();
        amqpQueue = RabbitMqBroker.unique("karaf");
        Files.writeString(karaf.etc("jobs.pipeline-kamqp.cfg"), "driver=amqp\nqueue=" + amqpQueue + "\nexchange="
                + amqpQueue + "\nexchange_type=direct\nrouting_key=" + amqpQueue + "\nprefetch=50\n");
        awaitReady("kamqp");
        shell.run("jobs:push kamqp log through-rabbitmq id=karaf-amqp-1");
        awaitHandled("karaf-amqp-1");
    }

    @Test
    public void step4_aPipelineFileCreatedEditedAndDeletedIsAppliedLive() throws Exception {
        Path file = karaf.etc("jobs.pipeline-edit.cfg");
        Files.writeString(file, "driver=memory\npriority=3\n");
        awaitRow("edit", "priority 3", row -> row.matches("edit\\s+memory\\s+edit\\s+\\d+\\s+\\d+\\s+\\d+\\s+true\\s+3"));
        Files.writeString(file, "driver=memory\npriority=7\n");
        awaitRow("edit", "priority 7", row -> row.matches("edit\\s+memory\\s+edit\\s+\\d+\\s+\\d+\\s+\\d+\\s+true\\s+7"));
        Files.delete(file);
        Poll.until("pipeline 'edit' gone", WAIT, POLL, () -> !shell.run("jobs:list").lines().anyMatch("edit"::equals),
                () -> shell.run("jobs:list"));
    }

    @Test
    public void step5_bundleUpdateOfEachDriverUnderLoadLosesAndDuplicatesNothing() throws Exception {
        Files.writeString(karaf.etc("jobs.pipeline-steady.cfg"), "driver=memory\nmax_jobs=1000000\n");
        awaitReady("steady");
        updateUnderLoad("steady", "org.osgijobs.driver-memory", 4_000);
        if (amqpQueue != null) {
            updateUnderLoad("kamqp", "org.osgijobs.driver-amqp", 2_000);
        }
    }

    @Test
    public void step6_aRefreshOfJobsApiBringsThePipelinesBack() throws Exception {
        shell.run("bundle:refresh " + bundleId("org.osgijobs.jobs-api"));
        awaitReady("default");
        shell.run("jobs:push default log after-refresh id=karaf-refresh-1");
        awaitHandled("karaf-refresh-1");
        if (amqpQueue != null) {
            awaitReady("kamqp");
        }
    }

    @Test
    public void step7_atShutdownTheRuntimeStopsBeforeItsDriversAndAfterARestartThePipelinesAreBack()
            throws Exception {
        int logBefore = karaf.log().length();
        shell.exec("system:shutdown -f");
        shell.close();
        shell = null;
        assertTrue("Karaf ended\n" + karaf.diagnostics(), karaf.awaitExit(WAIT));
        String shutdown = karaf.log().substring(logBefore);
        int stopped = shutdown.indexOf("jobs runtime stopped");
        assertTrue("the runtime logged its stop:\n" + shutdown, stopped >= 0);
        for (String driver : new String[] { "memory", "amqp" }) {
            int gone = shutdown.indexOf("driver " + driver + " unavailable");
            assertTrue("driver " + driver + " went before the runtime stopped:\n" + shutdown,
                    gone < 0 || gone > stopped);
        }

        karaf.start();
        shell = connect();
        awaitReady("default");
        awaitReady("steady");
        shell.run("jobs:push default log after-restart id=karaf-restart-1");
        awaitHandled("karaf-restart-1");
        if (amqpQueue != null) {
            awaitReady("kamqp");
            shell.run("jobs:push kamqp log after-restart id=karaf-restart-amqp-1");
            awaitHandled("karaf-restart-amqp-1");
        }
    }

    @Test
    public void step8_theAmqpFeatureUninstalledLeavesItsPipelinesWaitingAndInstalledAgainTheyConsume()
            throws Exception {
        RabbitMqBroker.assumeReachable();
        shell.run("feature:uninstall osgijobs-driver-amqp");
        awaitRow("kamqp", "driver amqp unavailable",
                row -> row.contains("false") && row.contains("driver amqp unavailable"));
        shell.run("jobs:push default log others-run id=karaf-others-1");
        awaitHandled("karaf-others-1");

        KarafShell.Result install = shell.exec("feature:install osgijobs-driver-amqp", WAIT);
        assertTrue(install.toString(), install.ok());
        awaitReady("kamqp");
        shell.run("jobs:push kamqp log reinstalled id=karaf-amqp-2");
        awaitHandled("karaf-amqp-2");
    }

    @Test
    public void step9_theHttpFeatureServesTheApiOnPaxWebAndAChangeNeedsTheToken() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // before the feature: Pax Web's configuration from etc/ (the feature keeps an existing one), the API's token
        Files.writeString(karaf.etc("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port=" + port + "\n");
        Files.writeString(karaf.etc("jobs.http.cfg"), "token=karaf-http-token\n");
        Poll.until("Pax Web's port " + port + " and the API's token configured from etc/", WAIT, POLL,
                () -> shell.run("config:list '(service.pid=org.ops4j.pax.web)'").contains(Integer.toString(port))
                        && shell.run("config:list '(service.pid=jobs.http)'").contains("token"),
                () -> shell.run("config:list '(service.pid=org.ops4j.pax.web)'"));
        KarafShell.Result install = shell.exec("feature:install osgijobs-http", WAIT);
        assertTrue(install + "\n" + karaf.diagnostics(), install.ok());

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        Poll.until("GET /jobs/pipelines answering on Pax Web", WAIT, POLL, () -> {
            try {
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/pipelines"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return list.statusCode() == 200 && list.body().contains("\"default\"");
            } catch (IOException e) {
                return false;
            }
        }, karaf::diagnostics);

        String job = "{\"name\":\"log\",\"payload\":\"over-http\",\"id\":\"karaf-http-1\"}";
        HttpRequest.Builder push = HttpRequest.newBuilder(URI.create(base + "/jobs/pipelines/default/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job));
        HttpResponse<String> refused = http.send(push.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("a push without the token: " + refused.body(), 401, refused.statusCode());
        HttpResponse<String> accepted = http.send(push.header("Authorization", "Bearer karaf-http-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("a push with the token: " + accepted.body(), 202, accepted.statusCode());
        awaitHandled("karaf-http-1");

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains("jobs_pushed_total{"));
    }

    /**
     * Pushes jobs in the background, {@code chunk} at a time ({@code jobs:push ... count=N}, many in flight) one
     * command after the other, from before the driver bundle's update until two more commands after it; then
     * counts the handled jobs in the log: each accepted job once.
     */
    private static void updateUnderLoad(String pipeline, String driverBundle, int chunk) throws Exception {
        long handledBefore = handledIn(pipeline).size();
        String id = bundleId(driverBundle);
        AtomicBoolean updated = new AtomicBoolean();
        CompletableFuture<Long> load = CompletableFuture.supplyAsync(() -> {
            long accepted = 0;
            try (KarafShell pusher = KarafShell.connect(karaf.sshPort(), KarafProcess.USER, KarafProcess.PASSWORD)) {
                for (int after = 0; after < 2;) {
                    if (updated.get()) {
                        after++;
                    }
                    accepted += accepted(pusher.exec("jobs:push " + pipeline + " log load count=" + chunk, WAIT),
                            chunk);
                }
                return accepted;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Poll.until("pushes into '" + pipeline + "' flowing", WAIT, Duration.ofMillis(20),
                () -> pushedSoFar(pipeline) > 0 || load.isDone(), () -> shell.run("jobs:stats " + pipeline));
        long pushedAtUpdate = pushedSoFar(pipeline);
        shell.run("bundle:update " + id);
        updated.set(true);
        long accepted = load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue("pushes went on after the update (" + pushedAtUpdate + " of " + accepted + " pushed before)",
                pushedAtUpdate < accepted);

        Poll.until(accepted + " jobs of '" + pipeline + "' handled", WAIT, Duration.ofSeconds(1),
                () -> handledIn(pipeline).size() - handledBefore >= accepted,
                () -> "handled " + (handledIn(pipeline).size() - handledBefore) + "\n" + shell.run("jobs:stat "
                        + pipeline));
        Map<String, Integer> handled = handledIn(pipeline);
        long runs = handled.values().stream().mapToLong(Integer::longValue).sum();
        long lost = accepted - (handled.size() - handledBefore);
        long duplicates = runs - handled.size();
        System.out.printf("bundle:update %s under load: %d accepted, %d handled, %d lost, %d duplicates%n",
                driverBundle, accepted, handled.size() - handledBefore, lost, duplicates);
        assertEquals("lost jobs", 0, lost);
        assertEquals("duplicate runs", 0, duplicates);
    }

    /** @return how many jobs the push accepted: all, or those before its first refusal */
    private static long accepted(KarafShell.Result result, int count) {
        if (result.ok()) {
            assertEquals(result.toString(), "pushed " + count + " jobs to " + result.command().split(" ")[1],
                    result.out());
            return count;
        }
        Matcher partial = Pattern.compile("pushed (\\d+) of " + count).matcher(result.out() + result.err());
        assertTrue("a refused push says how many were accepted: " + result, partial.find());
        return Long.parseLong(partial.group(1));
    }

    private static long pushedSoFar(String pipeline) throws IOException {
        Matcher m = Pattern.compile("pushed=(\\d+)").matcher(shell.run("jobs:stats " + pipeline));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** @return every job id of the pipeline that the log handler ran, with its number of runs */
    private static Map<String, Integer> handledIn(String pipeline) {
        Map<String, Integer> runs = new HashMap<>();
        Matcher m = HANDLED.matcher(karaf.logs());
        while (m.find()) {
            if (m.group(2).equals(pipeline)) {
                runs.merge(m.group(1), 1, Integer::sum);
            }
        }
        return runs;
    }

    private static void awaitHandled(String jobId) throws Exception {
        Poll.until("job " + jobId + " handled (its line in karaf.log)", WAIT, POLL,
                () -> karaf.log().contains("job log id=" + jobId + " "), karaf::diagnostics);
    }

    private static void awaitReady(String pipeline) throws Exception {
        awaitRow(pipeline, "consuming", row -> row.matches(Pattern.quote(pipeline)
                + "\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+true\\s+\\d+"));
    }

    private interface RowCondition {
        boolean holds(String row);
    }

    private static void awaitRow(String pipeline, String what, RowCondition condition) throws Exception {
        Poll.until("pipeline '" + pipeline + "' " + what, WAIT, POLL, () -> {
            KarafShell.Result stat = shell.exec("jobs:stat " + pipeline);
            return stat.ok() && condition.holds(row(stat.out(), pipeline + " ").strip());
        }, () -> shell.exec("jobs:stat") + "\n" + karaf.diagnostics());
    }

    private static String bundleId(String symbolicName) throws IOException {
        return shell.run("bundle:id " + symbolicName).strip();
    }

    /** @return the first line containing the text, or "" */
    private static String row(String table, String containing) {
        return table.lines().filter(l -> l.contains(containing)).findFirst().orElse("");
    }

    /** Runs commands through {@code bin/client -b} (from standard input), as a script would. */
    private static String client(String commands) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(karaf.home().resolve("bin/client").toString(), "-a",
                Integer.toString(karaf.sshPort()), "-h", "127.0.0.1", "-u", KarafProcess.USER, "-p",
                KarafProcess.PASSWORD, "-b").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getOutputStream().write(commands.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client ended", process.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** Connects to the ssh port once Karaf's shell answers and the jobs commands are there. */
    private static KarafShell connect() throws Exception {
        KarafShell[] connected = new KarafShell[1];
        Poll.until("Karaf's shell with the jobs commands (or the feature service) answering", Duration.ofSeconds(180),
                Duration.ofSeconds(1), () -> {
                    if (!karaf.isAlive()) {
                        throw new AssertionError("Karaf ended\n" + karaf.diagnostics());
                    }
                    KarafShell s = KarafShell.connect(karaf.sshPort(), KarafProcess.USER, KarafProcess.PASSWORD);
                    try {
                        if (s.exec("feature:list -i").ok()) {
                            connected[0] = s;
                            return true;
                        }
                    } catch (IOException | RuntimeException e) {
                        // not up yet
                    }
                    s.close();
                    return false;
                }, karaf::diagnostics);
        return connected[0];
    }
}
