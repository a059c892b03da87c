package org.osgijobs.driver.kafka.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Kafka cluster shared by all kafka pipelines: configuration PID {@code jobs.kafka}, RoadRunner's {@code kafka}
 * section flattened. Method names map to keys as OSGi does it: {@code ping_timeout} is {@code ping.timeout},
 * {@code tls_root__ca} is {@code tls.root_ca}.
 */
@ObjectClassDefinition(id = KafkaConstructor.PID, name = "OSGi Jobs Kafka connection",
        description = "The Kafka brokers the kafka pipelines use.")
@interface KafkaConnectionConfig {

    @AttributeDefinition(name = "Brokers", description = "host:port of the bootstrap brokers, several separated by"
            + " commas or as a list.")
    String[] brokers() default { ConnectionSettings.DEFAULT_BROKERS };

    @AttributeDefinition(name = "Ping timeout", description = "How long the driver waits for the cluster to answer"
            + " when it checks the connection, e.g. 10s.")
    String ping_timeout() default "10s";

    @AttributeDefinition(name = "TLS enabled", required = false,
            description = "TLS with the JVM's trust store even when no tls.* file is given.")
    boolean tls_enabled() default false;

    @AttributeDefinition(name = "TLS root CA", required = false,
            description = "PEM file with the CA certificates the brokers' certificates must chain to. Implies TLS.")
    String tls_root__ca() default "";

    @AttributeDefinition(name = "TLS client certificate", required = false,
            description = "PEM file with the client certificate chain (with tls.key). Implies TLS.")
    String tls_cert() default "";

    @AttributeDefinition(name = "TLS client key", required = false,
            description = "PEM file with the client's unencrypted PKCS#8 private key (with tls.cert).")
    String tls_key() default "";

    @AttributeDefinition(name = "SASL mechanism", required = false,
            description = "plain, SCRAM-SHA-256 or SCRAM-SHA-512; empty for none.")
    String sasl_mechanism() default "";

    @AttributeDefinition(name = "SASL user name", required = false)
    String sasl_username() default "";

    @AttributeDefinition(name = "SASL password", required = false, type = AttributeType.PASSWORD)
    String sasl_password() default "";
}
