package org.osgijobs.driver.jdbc.internal;

import java.sql.SQLException;

import org.junit.BeforeClass;

/** {@link JdbcKeepDoneTest}'s tests on the real MariaDB, in a database of its own. */
public class MariaDbKeepDoneTest extends JdbcKeepDoneTest {

    @BeforeClass
    public static void createSchema() throws SQLException {
        useMariaDb();
    }
}
