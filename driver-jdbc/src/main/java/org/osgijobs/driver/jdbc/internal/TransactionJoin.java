package org.osgijobs.driver.jdbc.internal;

import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleContext;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;

/**
 * A pipeline's pushes joining the caller's transaction (option {@code tx_provider}); see {@link TransactionalPush}.
 * This interface names no Transaction Control type, so that the driver loads without those packages.
 */
interface TransactionJoin extends AutoCloseable {

    /**
     * @return {@code null} when the calling thread runs in no transaction; else the push's completion in it
     */
    CompletableFuture<Void> push(Message message, long priority);

    @Override
    void close();

    /**
     * @param context  the driver bundle's context, {@code null} outside a framework
     * @param pipeline the pipeline, with a non-empty {@code tx_provider} option
     * @return the join, tracking the provider and the Transaction Control services from now on
     * @throws JobsException naming the option when it is malformed, when the driver runs outside a framework, or
     *         when the Transaction Control packages are not wired to the driver
     */
    static TransactionJoin of(BundleContext context, Pipeline pipeline, Database db) {
        String filter = pipeline.getString(TransactionalPush.OPTION, "").trim();
        String prefix = "pipeline '" + pipeline.name() + "': option '" + TransactionalPush.OPTION + "' ";
        if (context == null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "needs the driver to run in an OSGi"
                    + " framework (Transaction Control services)");
        }
        try {
            return new TransactionalPush(context, pipeline.name(), filter, db);
        } catch (IllegalArgumentException e) {
            throw pipeline.bad(TransactionalPush.OPTION, filter, "a service filter over JDBCConnectionProvider"
                    + " services, e.g. (osgi.jdbc.url=jdbc:postgresql://127.0.0.1:5432/app) (" + e.getMessage() + ")");
        } catch (NoClassDefFoundError e) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, prefix + "needs the package"
                    + " org.osgi.service.transaction.control (OSGi Transaction Control) wired to driver-jdbc: install"
                    + " a Transaction Control service and a JDBCConnectionProvider (e.g. Apache Aries"
                    + " tx-control-service-local and tx-control-provider-jdbc-local) before driver-jdbc, or refresh"
                    + " driver-jdbc (" + e.getMessage() + ")");
        }
    }
}
