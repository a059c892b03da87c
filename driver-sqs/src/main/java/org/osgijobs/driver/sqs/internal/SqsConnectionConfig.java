package org.osgijobs.driver.sqs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The SQS connection shared by all sqs pipelines: configuration PID {@code jobs.sqs}, RoadRunner's {@code sqs}
 * section. Without {@code key} and {@code secret} the AWS default credentials chain is used.
 */
@ObjectClassDefinition(id = SqsConstructor.PID, name = "OSGi Jobs SQS connection",
        description = "The Amazon SQS endpoint and credentials the sqs pipelines use.")
@interface SqsConnectionConfig {

    @AttributeDefinition(name = "Access key id", required = false,
            description = "AWS access key id; empty: the AWS default credentials chain.")
    String key() default "";

    @AttributeDefinition(name = "Secret access key", required = false, type = AttributeType.PASSWORD)
    String secret() default "";

    @AttributeDefinition(name = "Session token", required = false, type = AttributeType.PASSWORD,
            description = "For temporary credentials.")
    String session_token() default "";

    @AttributeDefinition(name = "Region", required = false,
            description = "AWS region, e.g. eu-west-1; empty: the AWS default region chain.")
    String region() default "";

    @AttributeDefinition(name = "Endpoint", required = false,
            description = "http(s)://host:port of an SQS-compatible endpoint (ElasticMQ, LocalStack); empty: AWS's.")
    String endpoint() default "";
}
