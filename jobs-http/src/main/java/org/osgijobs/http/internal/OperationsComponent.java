package org.osgijobs.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import javax.servlet.Servlet;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.monitor.JobsObserver;
import org.osgijobs.api.monitor.RuntimeGauges;

/**
 * Prometheus metrics at {@code metrics_path} (default {@code /metrics}) and health at {@code health_path}
 * ({@code /health/live}, {@code /health/ready}), on the HTTP Whiteboard; it observes the runtime (a
 * {@link JobsObserver}) for the latency and run time histograms. It shares the API's configuration (PID
 * {@code jobs.http}); a change starts the histograms anew.
 */
@Component(service = JobsObserver.class, immediate = true, configurationPid = HttpApiComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class OperationsComponent implements JobsObserver {

    private final Metrics metrics;
    private final ServiceRegistration<Servlet> metricsServlet;
    private final ServiceRegistration<Servlet> healthServlet;

    @Activate
    public OperationsComponent(BundleContext context, HttpApiConfig config, @Reference PipelineAdmin admin,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) RuntimeGauges gauges) {
        ObjectMapper json = Json.mapper();
        Errors errors = new Errors(json, Math.max(1, config.retry__after()));
        RequestGuard guard = new RequestGuard(config.token(), Arrays.asList(config.allowed__origins()),
                config.allow__remote());
        metrics = new Metrics(admin, gauges);
        Health health = new Health(admin, json);
        String metricsPath = HttpApiComponent.basePath(config.metrics__path());
        String healthPath = HttpApiComponent.basePath(config.health__path());
        metricsServlet = register(context, "osgijobs-metrics", new String[] {metricsPath},
                new ReadOnlyServlet(path -> new ApiResponse(200, Map.of(), PrometheusText.CONTENT_TYPE,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)), guard, errors));
        healthServlet = register(context, "osgijobs-health", new String[] {healthPath + "/*"},
                new ReadOnlyServlet(path -> {
                    switch (path) {
                    case "/live":
                        return health.live();
                    case "/ready":
                        return health.ready();
                    default:
                        throw new ApiException(404, null, "health has /live and /ready, not '" + path + "'");
                    }
                }, guard, errors));
    }

    private static ServiceRegistration<Servlet> register(BundleContext context, String name, String[] patterns,
            Servlet servlet) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", patterns);
        props.put("osgi.http.whiteboard.servlet.name", name);
        return context.registerService(Servlet.class, servlet, props);
    }

    @Deactivate
    void deactivate() {
        metricsServlet.unregister();
        healthServlet.unregister();
    }

    @Override
    public void pushed(String pipeline, long latencyNanos) {
        metrics.pushed(pipeline, latencyNanos);
    }

    @Override
    public void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
        metrics.ran(pipeline, jobName, runNanos, succeeded);
    }
}
