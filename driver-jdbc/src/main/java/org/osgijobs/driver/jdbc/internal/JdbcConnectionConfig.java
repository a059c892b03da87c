package org.osgijobs.driver.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The database shared by all jdbc pipelines: configuration PID {@code jobs.jdbc}. Method names map to keys as OSGi
 * does it: {@code pool__size} is {@code pool_size}, {@code datasource_target} is {@code datasource.target}. Either
 * {@code url} or {@code datasource.target} is set.
 */
@ObjectClassDefinition(id = ConnectionSettings.PID, name = "OSGi Jobs JDBC connection",
        description = "The database that holds the jobs of the jdbc pipelines.")
@interface JdbcConnectionConfig {

    @AttributeDefinition(name = "JDBC URL", required = false, description = "jdbc:postgresql://host:5432/database"
            + " (PostgreSQL 12 or later) or jdbc:mariadb://host:3306/database (MariaDB 10.6 or later);"
            + " ?currentSchema=s puts the tables in PostgreSQL schema s. The JDBC driver comes from the framework's"
            + " DataSourceFactory services. Leave empty when a DataSource service is named instead.")
    String url() default "";

    @AttributeDefinition(name = "DataSource service", required = false, description = "Instead of a URL: a filter"
            + " naming an existing javax.sql.DataSource service, e.g. (dataSourceName=app); the driver pools"
            + " connections from it. Needs 'Database'; user and password are the DataSource's own.")
    String datasource_target();

    @AttributeDefinition(name = "Database", required = false, description = "With a DataSource service: the database"
            + " behind it, postgresql or mariadb (with a URL, the URL tells).")
    String database() default "";

    @AttributeDefinition(name = "User", required = false, description = "The database user (with a URL).")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "The user's password; never logged.")
    String password() default "";

    @AttributeDefinition(name = "Pool size", required = false,
            description = "Most connections the driver opens, shared by all jdbc pipelines (each consuming pipeline"
                    + " uses up to three at once: claims, inserts, settlements).")
    int pool__size() default ConnectionSettings.DEFAULT_POOL_SIZE;

    @AttributeDefinition(name = "Table", required = false,
            description = "The jobs table, shared by all jdbc pipelines (a pipeline column tells them apart).")
    String table() default ConnectionSettings.DEFAULT_TABLE;
}
