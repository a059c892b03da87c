package org.osgijobs.http.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgijobs.api.JobProducer;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;

/**
 * The API's resources, below the base path:
 * <pre>
 * GET    /pipelines                      every pipeline with its state and counters
 * POST   /pipelines                      declare a pipeline (its options as a JSON object)     201, 409 if taken
 * GET    /pipelines/{name}               one pipeline
 * DELETE /pipelines/{name}               destroy it                                            204
 * POST   /pipelines/{name}/pause         pause it                                              200
 * POST   /pipelines/{name}/resume        resume it                                             200
 * POST   /pipelines/{name}/jobs          push one job                                          202
 * POST   /pipelines/{name}/jobs/batch    push {"jobs": [...]}: one result per job              200
 * GET    /pipelines/{name}/jobs?limit=N  the jobs waiting in it (drivers that can list them)   200
 * POST   /pipelines/{name}/jobs/{id}/run-again   a dead-lettered job back to its pipeline      200
 * GET    /openapi.json                   the OpenAPI document
 * GET    /ui/                            the dashboard
 * </pre>
 * Every error is a JSON body (see {@link Errors}). GET changes nothing.
 */
final class ApiRouter {
    /** Jobs listed by GET .../jobs without a limit. */
    static final int DEFAULT_WAITING_LIMIT = 100;

    private final JobProducer producer;
    private final PipelineAdmin admin;
    private final RequestGuard guard;
    private final ObjectMapper json;
    private final Errors errors;
    private final byte[] openApi;
    private final Dashboard dashboard = new Dashboard();

    ApiRouter(JobProducer producer, PipelineAdmin admin, RequestGuard guard, ObjectMapper json, Errors errors,
            byte[] openApi) {
        this.producer = producer;
        this.admin = admin;
        this.guard = guard;
        this.json = json;
        this.errors = errors;
        this.openApi = openApi.clone();
    }

    ApiResponse handle(ApiRequest request) {
        ApiResponse answer = answer(request);
        // a browser page from an allowed origin may read the answers (CORS); the API's own origin needs nothing
        String origin = request.header().apply("Origin");
        return origin != null && guard.isListedOrigin(origin)
                ? answer.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin")
                : answer;
    }

    private ApiResponse answer(ApiRequest request) {
        try {
            guard.check(request);
            if (request.method().equals("OPTIONS")) {
                return preflight(request);
            }
            if (request.body().length > 0 && !RequestGuard.READS.contains(request.method())) {
                String type = request.header().apply("Content-Type");
                if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                    throw new ApiException(415, "Content-Type", "the body must be application/json, got "
                            + (type == null ? "no Content-Type" : "'" + type + "'"));
                }
            }
            return route(request);
        } catch (ApiException e) {
            return errors.of(e);
        } catch (JobsException e) {
            return errors.of(e, null);
        }
    }

    private ApiResponse route(ApiRequest request) {
        List<String> segments = segments(request.path());
        // HEAD is GET without the body (the servlet leaves it out)
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        if (!segments.isEmpty() && segments.get(0).equals("ui") && segments.size() <= 2) {
            allow(method, "GET");
            if (segments.size() == 1 && !request.path().endsWith("/")) {
                // the page's relative links need the trailing slash
                return new ApiResponse(302, Map.of("Location", "ui/"), null, new byte[0]);
            }
            ApiResponse file = dashboard.file(segments.size() == 1 ? "" : segments.get(1));
            if (file != null) {
                return file;
            }
        }
        if (segments.equals(List.of("openapi.json"))) {
            allow(method, "GET");
            return new ApiResponse(200, Map.of(), ApiResponse.JSON, openApi);
        }
        if (segments.isEmpty() || !segments.get(0).equals("pipelines") || segments.size() > 5) {
            throw new ApiException(404, null, "no resource at '" + request.path() + "'; see openapi.json");
        }
        if (segments.size() == 1) {
            allow(method, "GET", "POST");
            return method.equals("GET") ? list() : declare(request);
        }
        String pipeline = segments.get(1);
        if (segments.size() == 2) {
            allow(method, "GET", "DELETE");
            if (method.equals("GET")) {
                return ApiResponse.json(200, Json.bytes(json, Json.pipeline(json, admin.stat(pipeline),
                        admin.stats(pipeline))));
            }
            admin.destroy(pipeline);
            return ApiResponse.noContent();
        }
        String action = segments.get(2);
        if (segments.size() == 3 && (action.equals("pause") || action.equals("resume"))) {
            allow(method, "POST");
            if (action.equals("pause")) {
                admin.pause(pipeline);
            } else {
                admin.resume(pipeline);
            }
            return ApiResponse.json(200, Json.bytes(json, Json.pipeline(json, admin.stat(pipeline), null)));
        }
        if (action.equals("jobs") && segments.size() == 3) {
            allow(method, "GET", "POST");
            return method.equals("GET") ? waiting(request, pipeline) : pushOne(request, pipeline);
        }
        if (action.equals("jobs") && segments.size() == 4 && segments.get(3).equals("batch")) {
            allow(method, "POST");
            return pushBatch(request, pipeline);
        }
        if (action.equals("jobs") && segments.size() == 5 && segments.get(4).equals("run-again")) {
            allow(method, "POST");
            String id = segments.get(3);
            ObjectNode answer = json.createObjectNode();
            answer.put("id", id);
            answer.put("pipeline", admin.runAgain(pipeline, id));
            return ApiResponse.json(200, Json.bytes(json, answer));
        }
        throw new ApiException(404, null, "no resource at '" + request.path() + "'; see openapi.json");
    }

    /** A CORS preflight: allowed for the listed origins only, which may then send JSON with the bearer token. */
    private ApiResponse preflight(ApiRequest request) {
        String origin = request.header().apply("Origin");
        if (origin == null || !guard.isListedOrigin(origin)) {
            throw new ApiException(403, "Origin", "origin '" + origin + "' is not in jobs.http allowed_origins");
        }
        return new ApiResponse(204, Map.of("Access-Control-Allow-Methods", "GET, POST, DELETE",
                "Access-Control-Allow-Headers", "Authorization, Content-Type", "Access-Control-Max-Age", "600"),
                null, new byte[0]);
    }

    private ApiResponse list() {
        ObjectNode root = json.createObjectNode();
        ArrayNode pipelines = root.putArray("pipelines");
        for (State state : admin.stat()) {
            try {
                pipelines.add(Json.pipeline(json, state, admin.stats(state.pipeline())));
            } catch (JobsException e) {
                // destroyed between stat() and stats(): it is gone, leave it out
            }
        }
        return ApiResponse.json(200, Json.bytes(json, root));
    }

    private ApiResponse declare(ApiRequest request) {
        JsonNode body = Json.parse(json, request.body());
        if (!body.isObject()) {
            throw ApiException.badInput("body", "declare takes the pipeline's options as a JSON object");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            JsonNode value = option.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw ApiException.badInput(option.getKey(), "option '" + option.getKey()
                        + "' must be a string, a number or a boolean");
            }
            options.put(option.getKey(), value.asText());
        }
        String name = options.get(PipelineAdmin.OPTION_NAME);
        if (name == null || name.isBlank()) {
            throw ApiException.badInput(PipelineAdmin.OPTION_NAME, "option 'name' is required");
        }
        if (options.get(PipelineAdmin.OPTION_DRIVER) == null) {
            throw ApiException.badInput(PipelineAdmin.OPTION_DRIVER, "option 'driver' is required");
        }
        if (admin.list().contains(name)) {
            throw new ApiException(409, PipelineAdmin.OPTION_NAME, "pipeline '" + name + "' already exists");
        }
        admin.declare(options);
        return ApiResponse.json(201, Json.bytes(json, Json.pipeline(json, admin.stat(name), null)))
                .withHeader("Location", "pipelines/" + name);
    }

    private ApiResponse waiting(ApiRequest request, String pipeline) {
        String limitText = request.query().apply("limit");
        int limit = DEFAULT_WAITING_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw ApiException.badInput("limit", "limit must be an integer from 1 to 1000, got '" + limitText
                        + "'");
            }
        }
        ObjectNode root = json.createObjectNode();
        root.put("pipeline", pipeline);
        ArrayNode jobs = root.putArray("jobs");
        for (Message m : admin.waiting(pipeline, limit)) {
            jobs.add(Json.job(json, m));
        }
        return ApiResponse.json(200, Json.bytes(json, root));
    }

    private ApiResponse pushOne(ApiRequest request, String pipeline) {
        Message message = JobReader.read(Json.parse(json, request.body()), pipeline, "");
        producer.push(message);
        ObjectNode answer = json.createObjectNode();
        answer.put("id", message.id());
        answer.put("pipeline", pipeline);
        return ApiResponse.json(202, Json.bytes(json, answer));
    }

    private ApiResponse pushBatch(ApiRequest request, String pipeline) {
        JsonNode body = Json.parse(json, request.body());
        JsonNode jobs = body.isObject() ? body.get("jobs") : null;
        if (jobs == null || !jobs.isArray() || body.size() != 1) {
            throw ApiException.badInput("jobs", "a batch is {\"jobs\": [job, ...]} and nothing else");
        }
        // jobs that cannot be read are answered at once; the others are pushed together
        ObjectNode[] results = new ObjectNode[jobs.size()];
        List<Message> messages = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String prefix = "jobs[" + i + "].";
            try {
                messages.add(JobReader.read(jobs.get(i), pipeline, prefix));
                indexes.add(i);
            } catch (ApiException e) {
                results[i] = result(i, null, errors.body(400, "BAD_INPUT", e.getMessage(), e.field()));
            }
        }
        int accepted = 0;
        if (!messages.isEmpty()) {
            List<PushResult> pushed = producer.pushBatch(messages);
            for (int k = 0; k < pushed.size(); k++) {
                PushResult r = pushed.get(k);
                String id = messages.get(k).id();
                if (r.ok()) {
                    accepted++;
                    results[indexes.get(k)] = result(indexes.get(k), id, null);
                } else {
                    JobsException e = r.error();
                    results[indexes.get(k)] = result(indexes.get(k), id,
                            errors.body(Errors.status(e), e.kind().name(), e.getMessage(), null));
                }
            }
        }
        ObjectNode root = json.createObjectNode();
        root.put("accepted", accepted);
        root.put("failed", results.length - accepted);
        ArrayNode list = root.putArray("results");
        for (ObjectNode r : results) {
            list.add(r);
        }
        return ApiResponse.json(200, Json.bytes(json, root));
    }

    private ObjectNode result(int index, String id, ObjectNode error) {
        ObjectNode r = json.createObjectNode();
        r.put("index", index);
        if (id != null) {
            r.put("id", id);
        }
        r.put("status", error == null ? 202 : error.get("status").intValue());
        if (error != null) {
            r.set("error", error);
        }
        return r;
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(method, allowed);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : (path == null ? "" : path).split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    /** 405 with an Allow header. */
    static final class MethodNotAllowed extends ApiException {
        private static final long serialVersionUID = 1L;
        final String allow;

        MethodNotAllowed(String method, String... allowed) {
            super(405, null, method + " is not allowed here; allowed: " + String.join(", ", allowed));
            this.allow = String.join(", ", allowed);
        }
    }
}
