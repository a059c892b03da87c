package org.osgijobs.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The HTTP API's configuration, PID {@code jobs.http}. The port and the interface it listens on belong to the
 * HTTP service (Felix HTTP: {@code org.osgi.service.http.port}, {@code org.apache.felix.http.host}).
 */
@ObjectClassDefinition(id = HttpApiComponent.PID, name = "OSGi Jobs HTTP API",
        description = "The JSON API for pushing jobs and managing pipelines, on the OSGi HTTP Whiteboard.")
@interface HttpApiConfig {

    @AttributeDefinition(name = "Base path", description = "The path the API is served under, starting with '/'.")
    String base_path() default "/jobs";

    @AttributeDefinition(name = "Token", required = false, type = AttributeType.PASSWORD,
            description = "When set, every request that changes something (POST, PUT, DELETE) must carry"
                    + " 'Authorization: Bearer <token>'. Never logged.")
    String token() default "";

    @AttributeDefinition(name = "Largest request body", description = "Bytes; a larger body is refused with 413.")
    int max_body_bytes() default 4 * 1024 * 1024;

    @AttributeDefinition(name = "Allowed origins", required = false, description = "Origins (scheme://host:port)"
            + " besides the API's own from which a browser may send changing requests; others get 403.")
    String[] allowed_origins() default {};

    @AttributeDefinition(name = "Allow remote clients", description = "Answer clients that are not on this"
            + " machine (loopback addresses). Off by default: set a token before turning it on.")
    boolean allow_remote() default false;

    @AttributeDefinition(name = "Retry-After", description = "Seconds sent in Retry-After with 429 and 503.")
    int retry_after() default 1;
}
