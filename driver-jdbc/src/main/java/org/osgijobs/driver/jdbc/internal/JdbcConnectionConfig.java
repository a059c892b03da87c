package org.osgijobs.driver.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The database shared by all jdbc pipelines: configuration PID {@code jobs.jdbc}. Method names map to keys as OSGi
 * does it: {@code pool__size} is {@code pool_size}.
 */
@ObjectClassDefinition(id = ConnectionSettings.PID, name = "OSGi Jobs JDBC connection",
        description = "The database that holds the jobs of the jdbc pipelines.")
@interface JdbcConnectionConfig {

    @AttributeDefinition(name = "JDBC URL", description = "jdbc:postgresql://host:5432/database (PostgreSQL 12 or"
            + " later); ?currentSchema=s puts the tables in schema s.")
    String url();

    @AttributeDefinition(name = "User", required = false, description = "The database user.")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "The user's password; never logged.")
    String password() default "";

    @AttributeDefinition(name = "Pool size", required = false,
            description = "Most connections the driver opens, shared by all jdbc pipelines (each consuming pipeline"
                    + " uses up to two at once).")
    int pool__size() default ConnectionSettings.DEFAULT_POOL_SIZE;

    @AttributeDefinition(name = "Table", required = false,
            description = "The jobs table, shared by all jdbc pipelines (a pipeline column tells them apart).")
    String table() default ConnectionSettings.DEFAULT_TABLE;
}
