package org.osgijobs.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * db-scheduler (com.github.kagkarlsson, the version in the pom) as a peer: one-time tasks whose data is the same
 * 100-byte payload, scheduled for now with {@code scheduleBatch} in batches of the same size as the other sides'
 * inserts, executed by a scheduler of 2 threads that polls with lock-and-fetch ({@code FOR UPDATE SKIP LOCKED} on
 * PostgreSQL) at its largest fetch (3 executions per thread), a 100 ms polling interval and immediate execution of
 * tasks scheduled in the same JVM; a completed one-time task's row is deleted. Its own table
 * ({@code scheduled_tasks}, db-scheduler's PostgreSQL DDL) in the same schema, a HikariCP pool of 10 connections.
 */
final class DbSchedulerPeer implements AutoCloseable {
    private static final String TASK = "bench-noop";

    private final HikariDataSource pool;
    private final OneTimeTask<byte[]> task;
    private final Scheduler scheduler;
    private final int insertBatch;
    private volatile JobWork work = JobWork.NONE;

    DbSchedulerPeer(String url, String user, int threads, int insertBatch) throws SQLException {
        this.insertBatch = insertBatch;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(10);
        config.setPoolName("db-scheduler-peer");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
                    + " task_data BYTEA, execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,"
                    + " last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, consecutive_failures INT, last_heartbeat"
                    + " TIMESTAMPTZ, version BIGINT NOT NULL, priority SMALLINT, PRIMARY KEY (task_name,"
                    + " task_instance))");
            s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
            s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
            s.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time"
                    + " ASC)");
        }
        task = Tasks.oneTime(TASK, byte[].class).execute((instance, context) -> work.run(instance.getData(),
                System.nanoTime()));
        scheduler = Scheduler.create(pool, task).threads(threads).pollingInterval(Duration.ofMillis(100))
                .pollUsingLockAndFetch(1.0, 3.0).enableImmediateExecution().build();
        scheduler.start();
    }

    void use(JobWork next) {
        this.work = next;
    }

    /** Schedules the jobs for now, {@code insertBatch} per batch; each payload is stamped as its instance is made. */
    void pushAll(int round, int jobs) {
        List<TaskInstance<?>> batch = new ArrayList<>(insertBatch);
        for (int i = 0; i < jobs; i++) {
            batch.add(task.instance(round + "-" + i, Payloads.stampedNow(0)));
            if (batch.size() == insertBatch || i == jobs - 1) {
                scheduler.scheduleBatch(batch, Instant.now());
                batch = new ArrayList<>(insertBatch);
            }
        }
    }

    @Override
    public void close() {
        try {
            scheduler.stop();
        } finally {
            pool.close();
        }
    }
}
