package org.osgijobs.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code http} scenario's baseline: a bare servlet on the same HTTP service (Felix HTTP's Jetty) that reads the
 * same JSON body with Jackson, takes the job's name and payload out of it, and answers 202 with an id, storing
 * nothing. The runtime's side does the same plus the API's checks, the push and the handler.
 */
final class BareServletBaseline extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] ACCEPTED_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.UTF_8);

    private final transient ObjectMapper json = new ObjectMapper();

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode job;
        try (InputStream in = req.getInputStream()) {
            job = json.readTree(in);
        }
        if (job == null || !job.path("name").isTextual() || !job.path("payload").isTextual()) {
            resp.setStatus(400);
            return;
        }
        job.get("payload").textValue().getBytes(StandardCharsets.UTF_8);
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(202);
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(ACCEPTED_PREFIX.length + id.length + 2);
        resp.getOutputStream().write(ACCEPTED_PREFIX);
        resp.getOutputStream().write(id);
        resp.getOutputStream().write(new byte[] {'"', '}'});
    }
}
