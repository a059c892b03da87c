package org.osgijobs.itests.http;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.FrameworkUtil;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;

/**
 * Base of the HTTP API's integration tests: the runtime, the memory driver, Felix HTTP (Jetty) on a free loopback
 * port chosen when the framework is configured, Jackson and {@code jobs-http}; an HTTP client that talks to it with
 * keep-alive. Before each test it waits until the API answers with its default configuration (a test that changes
 * {@code jobs.http} has it restored after it, which registers the servlet anew).
 */
public abstract class HttpItestSupport extends ItestSupport {

    static final String PORT_PROPERTY = "org.osgi.service.http.port";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    @Override
    public Option[] configuration() {
        return options(ItestBundles.framework(getClass()),
                frameworkProperty(PORT_PROPERTY).value(Integer.toString(freePort())),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                bundles());
    }

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(), ItestBundles.testSupport(),
                httpApi());
    }

    /** @return the HTTP Whiteboard (Felix HTTP on Jetty with the servlet API bundle), Jackson and the API */
    static Option httpApi() {
        return composite(ItestBundles.bundleOf("org.apache.felix.http.servlet-api"),
                ItestBundles.bundleOf("org.apache.felix.http.jetty"),
                ItestBundles.bundleOf("jackson-annotations"), ItestBundles.bundleOf("jackson-core"),
                ItestBundles.bundleOf("jackson-databind"), ItestBundles.bundleOf("jobs-http"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the API answers reads, and changes without a token (404 for a pipeline that is not there). */
    @Before
    public void apiAnswersWithItsDefaults() {
        await("the HTTP API answers with its default configuration", () -> {
            try {
                return get("/jobs/pipelines").status == 200
                        && post("/jobs/pipelines/no-such-pipeline/pause", null).status == 404;
            } catch (UncheckedIOException e) {
                return false;
            }
        });
    }

    static int port() {
        return Integer.parseInt(FrameworkUtil.getBundle(HttpItestSupport.class).getBundleContext()
                .getProperty(PORT_PROPERTY));
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** One answer: status, headers, the body as text and as JSON (null when it is not JSON). */
    static final class Answer {
        final int status;
        final HttpResponse<String> response;
        final String text;

        Answer(HttpResponse<String> response) {
            this.response = response;
            this.status = response.statusCode();
            this.text = response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** @return the error's field, asserting the body is an error with this status */
        JsonNode error(int expectedStatus) {
            if (status != expectedStatus) {
                throw new AssertionError("expected " + expectedStatus + ", got " + status + ": " + text);
            }
            JsonNode error = json().get("error");
            if (error == null || error.get("status").intValue() != expectedStatus || error.get("message") == null) {
                throw new AssertionError("not an error body: " + text);
            }
            return error;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(headers.length == 0 ? b : b.headers(headers));
    }

    Answer delete(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).DELETE();
        return send(headers.length == 0 ? b : b.headers(headers));
    }

    Answer send(HttpRequest.Builder request) {
        try {
            return new Answer(client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
