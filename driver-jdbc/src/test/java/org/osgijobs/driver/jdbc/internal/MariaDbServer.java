package org.osgijobs.driver.jdbc.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.junit.Assume;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The MariaDB the tests use: 127.0.0.1:3306, root with an empty password ({@code .ci/start-mariadb} starts it). Each
 * test class gets a database of its own. MariaDB's JDBC driver registers no {@link DataSourceFactory} by itself (in a
 * framework, pax-jdbc-mariadb does): {@link #factory()} is the one the tests hand to the driver.
 */
final class MariaDbServer {
    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String USER = "root";

    private MariaDbServer() {
    }

    static void assumeReachable() {
        String why = null;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            why = String.valueOf(e.getMessage());
        }
        if (why == null) {
            return;
        }
        String message = "MariaDB is not reachable on " + HOST + ":" + PORT + " (" + why + "): run .ci/start-mariadb";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the MariaDB tests must run)");
        }
        System.err.println("\n**** SKIPPED: " + message + " ****\n");
        Assume.assumeTrue(message, false);
    }

    static String url(String database) {
        return "jdbc:mariadb://" + HOST + ":" + PORT + "/" + database;
    }

    static Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url(database));
        props.setProperty(DataSourceFactory.JDBC_USER, USER);
        Connection c = factory().createDataSource(props).getConnection();
        c.setAutoCommit(true);
        return c;
    }

    /** A DataSourceFactory over MariaDB's own DataSource, as pax-jdbc-mariadb registers one. */
    static DataSourceFactory factory() {
        return new DataSourceFactory() {
            @Override
            public DataSource createDataSource(Properties props) throws SQLException {
                org.mariadb.jdbc.MariaDbDataSource source = new org.mariadb.jdbc.MariaDbDataSource();
                source.setUrl(props.getProperty(JDBC_URL));
                if (props.getProperty(JDBC_USER) != null) {
                    source.setUser(props.getProperty(JDBC_USER));
                }
                if (props.getProperty(JDBC_PASSWORD) != null) {
                    source.setPassword(props.getProperty(JDBC_PASSWORD));
                }
                return source;
            }

            @Override
            public javax.sql.ConnectionPoolDataSource createConnectionPoolDataSource(Properties props) {
                throw new UnsupportedOperationException();
            }

            @Override
            public javax.sql.XADataSource createXADataSource(Properties props) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.sql.Driver createDriver(Properties props) {
                return new org.mariadb.jdbc.Driver();
            }
        };
    }
}
