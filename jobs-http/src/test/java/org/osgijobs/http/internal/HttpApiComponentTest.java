package org.osgijobs.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.ReadListener;
import javax.servlet.Servlet;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component with its servlet, outside a framework: what it registers on the whiteboard, the body limit (a
 * declared length over it is refused unread), and that the token reaches no log line.
 */
public class HttpApiComponentTest {

    private static final String TOKEN = "tok-3f9a7c1e";

    private final FakeJobs jobs = new FakeJobs().with("default");
    private final AtomicReference<Dictionary<String, ?>> registered = new AtomicReference<>();
    private final AtomicReference<Servlet> servlet = new AtomicReference<>();
    private final AtomicBoolean unregistered = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        ServiceRegistration<Servlet> registration = (ServiceRegistration<Servlet>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.set(true);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("registerService")) {
                        servlet.set((Servlet) a[1]);
                        registered.set((Dictionary<String, ?>) a[2]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static HttpApiConfig config(Map<String, Object> values) {
        return (HttpApiConfig) Proxy.newProxyInstance(HttpApiConfig.class.getClassLoader(),
                new Class<?>[] {HttpApiConfig.class}, (p, m, a) -> {
                    Object v = values.get(m.getName());
                    return v != null ? v : m.getDefaultValue();
                });
    }

    private HttpApiComponent start(Map<String, Object> config) {
        return new HttpApiComponent(context(), config(config), jobs, jobs);
    }

    /** A request with a body (declared length {@code length}, or -1 for none), and its answer. */
    private Map<String, Object> call(String method, String path, String body, long length, Map<String, String> headers)
            throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        AtomicBoolean read = new AtomicBoolean();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                read.set(true);
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                read.set(true);
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener l) {
            }
        };
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "application/json");
        h.put("Host", "127.0.0.1:8080");
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> {
                    switch (m.getName()) {
                    case "getMethod": return method;
                    case "getPathInfo": return path;
                    case "getHeader": return h.get(a[0]);
                    case "getContentLengthLong": return length;
                    case "getInputStream": return stream;
                    case "getRemoteAddr": return "127.0.0.1";
                    case "getScheme": return "http";
                    case "getQueryString": return null;
                    default: throw new UnsupportedOperationException(m.getName());
                    }
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> answer = new HashMap<>();
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                    case "setStatus": answer.put("status", a[0]); return null;
                    case "setHeader": answer.put(a[0].toString(), a[1]); return null;
                    case "setContentType": case "setContentLength": return null;
                    case "getOutputStream": return output;
                    default: throw new UnsupportedOperationException(m.getName());
                    }
                });
        ((HttpServlet) servlet.get()).service(request, response);
        answer.put("body", out.toString(StandardCharsets.UTF_8));
        answer.put("read", read.get());
        return answer;
    }

    @Test
    public void theServletIsRegisteredUnderTheBasePathAndRemovedAtDeactivation() {
        HttpApiComponent component = start(Map.of("base__path", "/api/jobs/"));
        assertArrayEquals(new String[] {"/api/jobs", "/api/jobs/*"},
                (String[]) registered.get().get("osgi.http.whiteboard.servlet.pattern"));
        component.deactivate();
        assertTrue(unregistered.get());
    }

    @Test
    public void aBodyOverTheLimitIsRefusedAndADeclaredOneUnread() throws Exception {
        start(Map.of("max__body__bytes", 64));
        String big = "{\"name\":\"j\",\"payload\":\"" + "x".repeat(100) + "\"}";
        Map<String, Object> declared = call("POST", "/pipelines/default/jobs", big, big.length(), Map.of());
        assertEquals(413, declared.get("status"));
        assertFalse("not read", (Boolean) declared.get("read"));
        assertTrue(declared.get("body").toString(), declared.get("body").toString().contains("\"field\":\"body\""));
        assertEquals(413, call("POST", "/pipelines/default/jobs", big, -1, Map.of()).get("status"));
        assertEquals(202, call("POST", "/pipelines/default/jobs", "{\"name\":\"j\"}", -1, Map.of()).get("status"));
        assertEquals(1, jobs.pushed.size());
    }

    @Test
    public void theTokenReachesNoLogLine() throws Exception {
        start(Map.of("token", TOKEN));
        assertEquals(401, call("POST", "/pipelines/default/jobs", "{\"name\":\"j\"}", -1,
                Map.of("Authorization", "Bearer x" + TOKEN)).get("status"));
        assertEquals(202, call("POST", "/pipelines/default/jobs", "{\"name\":\"j\"}", -1,
                Map.of("Authorization", "Bearer " + TOKEN)).get("status"));
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertTrue(log, log.contains("changes need the bearer token"));
        assertFalse("no token in the log", log.contains(TOKEN));
    }
}
