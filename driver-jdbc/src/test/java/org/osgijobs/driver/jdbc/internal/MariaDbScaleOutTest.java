package org.osgijobs.driver.jdbc.internal;

import java.sql.SQLException;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link JdbcScaleOutTest}'s tests on the real MariaDB, in a database of its own: two runtimes share 2,000 jobs, and a
 * crashed runtime's leases are taken over. MariaDB has no push signals, so the signal test is not run here.
 */
public class MariaDbScaleOutTest extends JdbcScaleOutTest {

    @BeforeClass
    public static void createSchema() throws SQLException {
        useMariaDb();
    }

    /** Skipped on MariaDB, which has no push signals: its pipelines poll. */
    @Override
    @Test
    public void aPushIntoOneRuntimeWakesTheOtherWithoutWaitingForItsPoll() {
        Assume.assumeTrue("MariaDB has no push signals: its pipelines poll", false);
    }
}
