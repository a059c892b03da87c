package org.osgijobs.driver.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgijobs.testing.PostgresServer;

/** {@link JdbcKeepDoneTest}'s tests on the real MariaDB, in a database of its own. */
public class MariaDbKeepDoneTest extends JdbcKeepDoneTest {

    @BeforeClass
    public static void createSchema() throws SQLException {
        MariaDbServer.assumeReachable();
        schema = PostgresServer.uniqueSchema();
        try (Connection c = MariaDbServer.connect("test"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema);
        }
    }

    @AfterClass
    public static void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = MariaDbServer.connect("test"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }

    @Override
    Map<String, Object> connection(String... settings) {
        Map<String, Object> map = super.connection(settings);
        map.putIfAbsent("user", MariaDbServer.USER);
        if (PostgresServer.USER.equals(map.get("user"))) {
            map.put("user", MariaDbServer.USER);
        }
        return map;
    }

    @Override
    String url() {
        return MariaDbServer.url(schema);
    }

    @Override
    DataSourceFactory factory() {
        return MariaDbServer.factory();
    }

    @Override
    Connection connect() throws SQLException {
        return MariaDbServer.connect(schema);
    }

    @Override
    Connection connectInSchema() throws SQLException {
        return MariaDbServer.connect(schema);
    }

    @Override
    Dialect dialect() {
        return new MariaDbDialect();
    }
}
