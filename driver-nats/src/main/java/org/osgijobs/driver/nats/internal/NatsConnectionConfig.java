package org.osgijobs.driver.nats.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The NATS connection shared by all nats pipelines: configuration PID {@code jobs.nats}, RoadRunner's {@code nats}
 * section. Method names map to keys as OSGi does it: {@code tls_truststore__password} is
 * {@code tls.truststore_password}.
 */
@ObjectClassDefinition(id = NatsConstructor.PID, name = "OSGi Jobs NATS connection",
        description = "The NATS server (with JetStream) the nats pipelines use.")
@interface NatsConnectionConfig {

    @AttributeDefinition(name = "Address", description = "nats://host:4222 or tls://host:4222; several servers of"
            + " one cluster separated by commas. user:password@ in the address is accepted and never logged.")
    String addr() default ConnectionSettings.DEFAULT_ADDR;

    @AttributeDefinition(name = "User", required = false, description = "User name (with password).")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "Password of the user.")
    String password() default "";

    @AttributeDefinition(name = "Token", required = false, type = AttributeType.PASSWORD,
            description = "Authentication token (instead of user and password).")
    String token() default "";

    @AttributeDefinition(name = "Credentials file", required = false,
            description = "A NATS .creds file (JWT and NKey seed) for decentralised authentication.")
    String creds() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "JKS or PKCS#12 trust store with the CAs the server's certificate must chain to; the JVM's"
                    + " when empty. Implies TLS.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", required = false, type = AttributeType.PASSWORD)
    String tls_truststore__password() default "";

    @AttributeDefinition(name = "Key store", required = false,
            description = "JKS or PKCS#12 key store with the client certificate and key. Implies TLS.")
    String tls_keystore() default "";

    @AttributeDefinition(name = "Key store password", required = false, type = AttributeType.PASSWORD)
    String tls_keystore__password() default "";
}
