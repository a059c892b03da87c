package org.osgijobs.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The HTTP API's configuration, PID {@code jobs.http}. The port and the interface it listens on belong to the
 * HTTP service (Felix HTTP: {@code org.osgi.service.http.port}, {@code org.apache.felix.http.host}). A double
 * underscore in a method name is one underscore in the key ({@code max__body__bytes} reads {@code max_body_bytes}).
 */
@ObjectClassDefinition(id = HttpApiComponent.PID, name = "OSGi Jobs HTTP API",
        description = "The JSON API for pushing jobs and managing pipelines, on the OSGi HTTP Whiteboard.")
@interface HttpApiConfig {

    @AttributeDefinition(name = "Base path", description = "The path the API is served under, starting with '/'.")
    String base__path() default "/jobs";

    @AttributeDefinition(name = "Token", required = false, type = AttributeType.PASSWORD,
            description = "When set, every request that changes something (POST, PUT, DELETE) must carry"
                    + " 'Authorization: Bearer <token>'. Never logged.")
    String token() default "";

    @AttributeDefinition(name = "Largest request body", description = "Bytes; a larger body is refused with 413.")
    int max__body__bytes() default 4 * 1024 * 1024;

    @AttributeDefinition(name = "Allowed origins", required = false, description = "Origins (scheme://host:port)"
            + " besides the API's own from which a browser may send changing requests; others get 403.")
    String[] allowed__origins() default {};

    @AttributeDefinition(name = "Allow remote clients", description = "Answer clients that are not on this"
            + " machine (loopback addresses). Off by default: set a token before turning it on.")
    boolean allow__remote() default false;

    @AttributeDefinition(name = "Metrics path", description = "Where Prometheus scrapes the metrics (GET).")
    String metrics__path() default "/metrics";

    @AttributeDefinition(name = "Health path", description = "Liveness at <path>/live, readiness at <path>/ready.")
    String health__path() default "/health";

    @AttributeDefinition(name = "Retry-After", description = "Seconds sent in Retry-After with 429 and 503.")
    int retry__after() default 1;
}
