package org.osgijobs.driver.jdbc.internal;

import java.sql.SQLException;

import org.junit.BeforeClass;

/** {@link JdbcDriverTest}'s tests on the real MariaDB, in a database of its own. */
public class MariaDbDriverTest extends JdbcDriverTest {

    @BeforeClass
    public static void createSchema() throws SQLException {
        useMariaDb();
    }
}
