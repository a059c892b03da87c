package org.osgijobs.driver.jdbc.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jdbc} driver kind: builds one {@link JdbcDriver} per pipeline, all on the database of the
 * {@code jobs.jdbc} configuration, through one pool. The JDBC driver comes from the framework, as the OSGi JDBC
 * specification intends: the database's bundle (pgjdbc) registers a {@link DataSourceFactory}, and the one whose
 * driver accepts the configured URL builds the pool's data source. This service registers once at least one factory
 * is there (a {@code factories.target} property in {@code jobs.jdbc} narrows them); a new factory or a changed
 * configuration re-registers it, and the runtime rebuilds the pipelines.
 * <p>
 * Instead of a URL, {@code jobs.jdbc} may name an existing {@link DataSource} service by a filter,
 * {@code datasource.target} (the target of the {@code datasource} reference, Declarative Services' own): the pool is
 * built over it. A static greedy reference: when such a service comes or goes, the component is activated anew and
 * the runtime rebuilds the pipelines. Without the option the reference targets nothing, so an application's
 * unrelated data sources never restart the driver.
 * <p>
 * A missing or malformed {@code jobs.jdbc} configuration does not stop the service: every pipeline built from it
 * fails with the message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + JdbcDriver.NAME,
        configurationPid = ConnectionSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JdbcConnectionConfig.class)
public final class JdbcConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcConstructor.class);

    private final BundleContext context; // null outside a framework
    private final List<DataSourceFactory> factories;
    private final DataSource dataSource; // the service datasource.target names, or null
    private final ConnectionSettings settings;
    private final JobsException configurationError;
    private final Set<JdbcDriver> drivers = ConcurrentHashMap.newKeySet();
    private final Object poolLock = new Object();
    private Database database; // guarded by poolLock; built on first use, without connecting
    private boolean closed; // guarded by poolLock

    /**
     * @param properties the {@code jobs.jdbc} configuration, or the component's properties when there is none
     * @param factories  the JDBC drivers of the framework
     * @param dataSource the DataSource service that {@code datasource.target} names, or {@code null}
     */
    @Activate
    public JdbcConstructor(Map<String, Object> properties, BundleContext context,
            @Reference(name = "factories", cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<DataSourceFactory> factories,
            @Reference(name = "datasource", cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY, target = ConnectionSettings.NO_DATASOURCE) DataSource dataSource) {
        this.context = context;
        this.factories = List.copyOf(factories);
        this.dataSource = dataSource;
        ConnectionSettings parsed = null;
        JobsException error = null;
        try {
            parsed = ConnectionSettings.of(properties);
            LOG.info("jdbc driver ready: database {}", parsed);
        } catch (JobsException e) {
            error = e;
            if (properties.get(ConnectionSettings.URL) == null) {
                // no jobs.jdbc configuration (yet): normal while none uses the driver, so not an error here
                LOG.info("jdbc driver: no database configured ({} has no 'url'); jdbc pipelines fail until it has",
                        ConnectionSettings.PID);
            } else {
                LOG.error("jdbc driver: {}; jdbc pipelines cannot start until it is fixed", e.getMessage());
            }
        }
        this.settings = parsed;
        this.configurationError = error;
    }

    /**
     * Outside a framework (the tests): pipelines with {@code tx_provider} are refused.
     *
     * @param properties the {@code jobs.jdbc} configuration
     * @param factories  the JDBC drivers
     */
    JdbcConstructor(Map<String, Object> properties, List<DataSourceFactory> factories) {
        this(properties, null, factories, null);
    }

    /**
     * Outside a framework (the tests), with the DataSource service that {@code datasource.target} names, or
     * {@code null} for none matching.
     */
    JdbcConstructor(Map<String, Object> properties, DataSource dataSource) {
        this(properties, null, List.of(), dataSource);
    }

    @Deactivate
    void deactivate() {
        for (JdbcDriver driver : new ArrayList<>(drivers)) {
            LOG.info("jdbc driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("jdbc driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
        synchronized (poolLock) {
            closed = true;
            if (database != null) {
                database.close();
                database = null;
            }
        }
    }

    @Override
    public String name() {
        return JdbcDriver.NAME;
    }

    /**
     * Builds the driver of a pipeline; the table is created (or checked) first, on the caller's thread, within the
     * pipeline's timeout.
     *
     * @throws JobsException naming the option when a pipeline option or the {@code jobs.jdbc} configuration is
     *         malformed, or naming the database (never its password) when it cannot be reached or its table is not
     *         one of this driver's
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        String prefix = "pipeline '" + pipeline.name() + "': ";
        if (configurationError != null) {
            throw new JobsException(configurationError.kind(), prefix + configurationError.getMessage(),
                    configurationError);
        }
        JdbcOptions options = JdbcOptions.of(pipeline);
        Database db;
        String waiting = null;
        try {
            db = database();
        } catch (JobsException e) {
            throw new JobsException(e.kind(), prefix + e.getMessage(), e);
        }
        try {
            db.ensureSchema(options.timeoutSeconds());
        } catch (JobsException e) {
            if (e.kind() != JobsException.Kind.UNAVAILABLE) {
                throw new JobsException(e.kind(), prefix + e.getMessage(), e);
            }
            // the database is away: the pipeline is built, shows the error, and starts by itself when it returns
            waiting = e.getMessage();
            LOG.warn("{}{}; the pipeline waits for the database", prefix, waiting);
        }
        TransactionJoin join = pipeline.getString(TransactionalPush.OPTION, "").isBlank() ? null
                : TransactionJoin.of(this.context, pipeline, db);
        JdbcDriver driver = new JdbcDriver(pipeline.name(), options, db, context.queue(), drivers::remove, join);
        if (waiting != null) {
            driver.waitingForDatabase(waiting);
        }
        drivers.add(driver);
        driver.start();
        return driver;
    }

    private Database database() {
        synchronized (poolLock) {
            if (closed) {
                throw new JobsException(JobsException.Kind.UNAVAILABLE, "the jdbc driver is going away");
            }
            if (database == null) {
                database = settings.dataSourceTarget().isEmpty() ? Database.open(settings, factoryFor(settings))
                        : Database.open(settings, dataSource());
            }
            return database;
        }
    }

    private DataSource dataSource() {
        if (dataSource == null) {
            throw new JobsException(JobsException.Kind.UNAVAILABLE, ConnectionSettings.PID + ": no javax.sql.DataSource"
                    + " service matches option '" + ConnectionSettings.DATASOURCE_TARGET + "' "
                    + settings.dataSourceTarget() + ": register the application's DataSource with the properties the"
                    + " filter names (the jdbc pipelines are rebuilt when it comes)");
        }
        return dataSource;
    }

    private DataSourceFactory factoryFor(ConnectionSettings s) {
        for (DataSourceFactory factory : factories) {
            try {
                if (factory.createDriver(null).acceptsURL(s.url())) {
                    return factory;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("jdbc driver: a DataSourceFactory could not be asked about the URL", e);
            }
        }
        throw new JobsException(JobsException.Kind.UNAVAILABLE, ConnectionSettings.PID + ": no JDBC driver in the"
                + " framework accepts the URL " + ConnectionSettings.redact(s.url()) + " (" + factories.size()
                + " DataSourceFactory services were asked): install the database's driver bundle, for PostgreSQL"
                + " org.postgresql:postgresql");
    }
}
