package org.osgijobs.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.State;

/**
 * Liveness and readiness. Live: the runtime's service is there (this answers at all). Ready: no pipeline lacks
 * its driver or reports an error; a paused pipeline is fine. The body names every pipeline that is wrong, and why.
 */
final class Health {

    static final String NO_DRIVER = "(none)";

    private final PipelineAdmin admin;
    private final ObjectMapper json;

    Health(PipelineAdmin admin, ObjectMapper json) {
        this.admin = admin;
        this.json = json;
    }

    ApiResponse live() {
        ObjectNode body = json.createObjectNode();
        body.put("status", "UP");
        body.put("pipelines", admin.list().size());
        return ApiResponse.json(200, Json.bytes(json, body));
    }

    ApiResponse ready() {
        ObjectNode body = json.createObjectNode();
        ArrayNode problems = json.createArrayNode();
        int pipelines = 0;
        for (State s : admin.stat()) {
            pipelines++;
            String problem = !s.errorMessage().isEmpty() ? s.errorMessage()
                    : s.driver() == null || s.driver().isEmpty() || s.driver().equals(NO_DRIVER)
                            ? "pipeline '" + s.pipeline() + "' has no driver" : null;
            if (problem != null) {
                ObjectNode p = problems.addObject();
                p.put("pipeline", s.pipeline());
                p.put("driver", s.driver());
                p.put("problem", problem);
            }
        }
        boolean ready = problems.isEmpty();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("pipelines", pipelines);
        body.set("problems", problems);
        return ApiResponse.json(ready ? 200 : 503, Json.bytes(json, body));
    }
}
