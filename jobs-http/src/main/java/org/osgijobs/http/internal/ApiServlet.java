package org.osgijobs.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The servlet the whiteboard calls: it reads the body (at most {@code max_body_bytes}: a larger one is refused
 * with 413 before it is read whole), hands the request to the {@link ApiRouter} and writes its answer. It logs
 * nothing about requests, so no header (and no token) reaches the log.
 */
final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ApiRouter router;
    private final transient Errors errors;
    private final int maxBodyBytes;

    ApiServlet(ApiRouter router, Errors errors, int maxBodyBytes) {
        this.router = router;
        this.errors = errors;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiResponse answer;
        byte[] body = readBody(req);
        if (body == null) {
            answer = errors.of(new ApiException(413, "body", "the request body is larger than "
                    + maxBodyBytes + " bytes (jobs.http max_body_bytes)"));
            resp.setHeader("Connection", "close");
        } else {
            String path = req.getPathInfo();
            ApiRequest request = new ApiRequest(req.getMethod().toUpperCase(Locale.ROOT), path == null ? "" : path,
                    req::getHeader, body, req.getRemoteAddr(), req.getScheme(),
                    QueryString.parse(req.getQueryString())::get);
            answer = router.handle(request);
        }
        resp.setStatus(answer.status());
        answer.headers().forEach(resp::setHeader);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (answer.contentType() != null) {
            resp.setContentType(answer.contentType());
            resp.setContentLength(answer.body().length);
            if (!"HEAD".equalsIgnoreCase(req.getMethod())) {
                resp.getOutputStream().write(answer.body());
            }
        }
    }

    /** @return the body, or {@code null} when it is larger than the limit */
    private byte[] readBody(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBodyBytes) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] buffer = new byte[8192];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > maxBodyBytes) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }
}
