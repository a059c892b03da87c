package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.transaction.control.TransactionContext;
import org.osgi.service.transaction.control.TransactionControl;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgi.util.tracker.ServiceTracker;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

/**
 * Pushes that join the caller's transaction (OSGi Transaction Control, Compendium chapter 147): when the pushing
 * thread runs in a transaction of a {@link TransactionControl} service, the row is inserted through the scoped
 * connection of the {@link JDBCConnectionProvider} named by the pipeline's {@code tx_provider} filter, in that
 * transaction, and not committed here: the job exists if and only if the caller's transaction commits. Outside a
 * transaction {@link #push} returns {@code null} and the push goes the usual way (committed on its own).
 * <p>
 * Loaded only for pipelines with {@code tx_provider}: the Transaction Control packages are an optional import.
 */
final class TransactionalPush implements TransactionJoin {
    static final String OPTION = "tx_provider";

    private final String pipeline;
    private final String filterText;
    private final Database db;
    private final ServiceTracker<JDBCConnectionProvider, JDBCConnectionProvider> providers;
    private final ServiceTracker<TransactionControl, TransactionControl> controls;
    /** The scoped connection of each (provider, control) pair: the spec wants one per pair, reused. */
    private final Map<Pair, Connection> scoped = new ConcurrentHashMap<>();

    private record Pair(JDBCConnectionProvider provider, TransactionControl control) {
    }

    /**
     * @param context    the driver bundle's context, where the services are looked up
     * @param pipeline   for messages
     * @param filterText the {@code tx_provider} option: a filter over {@code JDBCConnectionProvider} services
     * @throws IllegalArgumentException naming the option when the filter is malformed
     */
    TransactionalPush(BundleContext context, String pipeline, String filterText, Database db) {
        this.pipeline = pipeline;
        this.filterText = filterText;
        this.db = db;
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter("(&(objectClass=" + JDBCConnectionProvider.class.getName() + ")"
                    + filterText + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        providers = new ServiceTracker<>(context, filter, null);
        controls = new ServiceTracker<>(context, TransactionControl.class, null);
        providers.open();
        controls.open();
    }

    /**
     * Inserts the job in the calling thread's transaction, when there is one.
     *
     * @return {@code null} when the thread runs in no transaction of any {@link TransactionControl} (the push then
     *         commits on its own); else a completed stage once the row was inserted in the transaction (visible to
     *         others, and run, only once it commits), or a failed one naming why, after marking the transaction for
     *         rollback (so that it cannot commit without the job)
     */
    @Override
    public CompletableFuture<Void> push(Message message, long priority) {
        TransactionControl control = activeTransaction();
        if (control == null) {
            return null;
        }
        String prefix = "pipeline '" + pipeline + "': ";
        JDBCConnectionProvider provider = providers.getService();
        if (provider == null) {
            return refuse(control, new JobsException(JobsException.Kind.UNAVAILABLE, prefix + "the push runs in a"
                    + " transaction, and no JDBCConnectionProvider service matches option '" + OPTION + "' "
                    + filterText + ": the job cannot join the transaction (the transaction is marked for rollback)"));
        }
        try {
            Connection c = scoped.computeIfAbsent(new Pair(provider, control), p -> p.provider.getResource(p.control));
            Dialect dialect = db.dialect();
            try (PreparedStatement ps = c.prepareStatement(dialect.insert(db.table()))) {
                Writer.bindInsert(ps, pipeline, message, priority);
                ps.executeUpdate();
            }
            if (dialect.signal(db.table()) != null && message.delay() == 0) {
                // PostgreSQL delivers the signal at commit, and not at all on rollback
                try (PreparedStatement signal = c.prepareStatement(dialect.signal(db.table()))) {
                    signal.setString(1, pipeline);
                    signal.execute();
                }
            }
            return CompletableFuture.completedFuture(null);
        } catch (SQLException | RuntimeException e) {
            return refuse(control, new JobsException(JobsException.Kind.UNAVAILABLE, prefix + "cannot insert the"
                    + " job in the caller's transaction through the JDBCConnectionProvider " + filterText + " (table "
                    + db.table() + "): " + e.getMessage() + " (the transaction is marked for rollback)", e));
        }
    }

    /** @return the Transaction Control whose transaction the calling thread runs in, or {@code null} */
    private TransactionControl activeTransaction() {
        Object[] all = controls.getServices();
        if (all == null) {
            return null;
        }
        for (Object o : all) {
            TransactionControl control = (TransactionControl) o;
            if (control.activeTransaction()) {
                return control;
            }
        }
        return null;
    }

    private static CompletableFuture<Void> refuse(TransactionControl control, JobsException failure) {
        try {
            TransactionContext context = control.getCurrentContext();
            if (context != null) {
                context.setRollbackOnly();
            }
        } catch (RuntimeException alreadyEnding) {
            // the transaction is completing anyway
        }
        return CompletableFuture.failedFuture(failure);
    }

    @Override
    public void close() {
        providers.close();
        controls.close();
        scoped.clear();
    }
}
