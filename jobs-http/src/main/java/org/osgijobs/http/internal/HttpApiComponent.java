package org.osgijobs.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.servlet.Servlet;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.metatype.annotations.Designate;
import org.osgijobs.api.JobProducer;
import org.osgijobs.api.PipelineAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the API on the HTTP Whiteboard under {@code base_path} (configuration PID {@code jobs.http}; it runs with
 * the defaults when there is none). A configuration change registers the servlet anew.
 */
@RequireHttpWhiteboard
@Component(configurationPid = HttpApiComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HttpApiConfig.class)
public final class HttpApiComponent {

    static final String PID = "jobs.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiComponent.class);

    private final ServiceRegistration<Servlet> registration;

    @Activate
    public HttpApiComponent(BundleContext context, HttpApiConfig config, @Reference JobProducer producer,
            @Reference PipelineAdmin admin) {
        String base = basePath(config.base__path());
        ObjectMapper json = Json.mapper();
        Errors errors = new Errors(json, Math.max(1, config.retry__after()));
        RequestGuard guard = new RequestGuard(config.token(), Arrays.asList(config.allowed__origins()),
                config.allow__remote());
        ApiRouter router = new ApiRouter(producer, admin, guard, json, errors, openApi(base));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", new String[] {base, base + "/*"});
        props.put("osgi.http.whiteboard.servlet.name", "osgijobs-http-api");
        registration = context.registerService(Servlet.class,
                new ApiServlet(router, errors, Math.max(1, config.max__body__bytes())), props);
        LOG.info("HTTP API at {} ({}, {})", base, guard.tokenRequired() ? "changes need the bearer token"
                : "no token: changes open to local clients", config.allow__remote() ? "remote clients allowed"
                        : "loopback clients only");
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    /** @throws IllegalArgumentException naming {@code base_path} when it is not an absolute path */
    static String basePath(String configured) {
        String base = configured == null ? "" : configured.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (!base.startsWith("/") || base.contains("*") || base.contains("?") || base.contains("#")) {
            throw new IllegalArgumentException("jobs.http: base_path must be a path such as /jobs (not the root),"
                    + " got '" + configured + "'");
        }
        return base;
    }

    private static byte[] openApi(String base) {
        try (InputStream in = HttpApiComponent.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${base}", base)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
