package org.osgijobs.http.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Function;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A servlet that only answers GET and HEAD (metrics, health), after the same client check as the API (loopback
 * unless {@code allow_remote}); the answer comes from a function of the path below the servlet's pattern.
 */
final class ReadOnlyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Function<String, ApiResponse> answers;
    private final transient RequestGuard guard;
    private final transient Errors errors;

    ReadOnlyServlet(Function<String, ApiResponse> answers, RequestGuard guard, Errors errors) {
        this.answers = answers;
        this.guard = guard;
        this.errors = errors;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        ApiResponse answer;
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new ApiRouter.MethodNotAllowed(method, "GET");
            }
            guard.check(new ApiRequest(method, path, req::getHeader, new byte[0], req.getRemoteAddr(),
                    req.getScheme(), name -> null));
            answer = answers.apply(path);
        } catch (ApiException e) {
            answer = errors.of(e);
        }
        resp.setStatus(answer.status());
        answer.headers().forEach(resp::setHeader);
        resp.setHeader("Cache-Control", "no-store");
        if (answer.contentType() != null) {
            resp.setContentType(answer.contentType());
            resp.setContentLength(answer.body().length);
            if (!method.equals("HEAD")) {
                resp.getOutputStream().write(answer.body());
            }
        }
    }
}
