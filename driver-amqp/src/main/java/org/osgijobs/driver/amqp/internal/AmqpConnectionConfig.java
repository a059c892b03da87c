package org.osgijobs.driver.amqp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The broker connection shared by all AMQP pipelines: configuration PID {@code jobs.amqp}, RoadRunner's {@code amqp}
 * section. Method names map to keys as OSGi does it: {@code tls_root__ca} is {@code tls.root_ca}.
 */
@ObjectClassDefinition(id = AmqpConstructor.PID, name = "OSGi Jobs AMQP connection",
        description = "The RabbitMQ broker the amqp pipelines use.")
@interface AmqpConnectionConfig {

    @AttributeDefinition(name = "Address", description = "amqp://user:password@host:5672/vhost or amqps://...; a"
            + " trailing '/' means the vhost '/' (as in RoadRunner). Query: heartbeat (s), connection_timeout (ms).")
    String addr() default BrokerAddress.DEFAULT;

    @AttributeDefinition(name = "Client certificate", required = false,
            description = "PEM file with the client certificate (chain) presented to the broker.")
    String tls_cert() default "";

    @AttributeDefinition(name = "Client key", required = false,
            description = "PEM file with the client certificate's unencrypted private key (PKCS#8 or RSA).")
    String tls_key() default "";

    @AttributeDefinition(name = "Root CA", required = false,
            description = "PEM file with the CA certificates that the broker's certificate must chain to; the JVM's"
                    + " trust store when empty.")
    String tls_root__ca() default "";

    @AttributeDefinition(name = "Client auth type", required = false,
            description = "no_client_certs, request_client_cert (default), require_any_client_cert,"
                    + " verify_client_cert_if_given or require_and_verify_client_cert.")
    String tls_client__auth__type() default "";
}
