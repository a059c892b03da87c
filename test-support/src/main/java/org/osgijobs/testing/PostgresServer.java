package org.osgijobs.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.Assume;

/**
 * The PostgreSQL the JDBC driver's tests use: 127.0.0.1:5432, user {@code postgres} with trust authentication,
 * database {@code test} ({@code .ci/start-postgres} starts it). Each test class works in a schema of its own
 * ({@link #uniqueSchema()}, {@link #urlFor(String)}) and drops it at the end. Only JDK types here: the schema helpers
 * take a connection, and {@link #connect()} finds the JDBC driver through {@link DriverManager} (on a class path;
 * in a framework, open the connection through the driver's {@code DataSourceFactory}).
 */
public final class PostgresServer {
    /** The server's host. */
    public static final String HOST = "127.0.0.1";
    /** Its port. */
    public static final int PORT = 5432;
    /** The user the tests connect as (trust authentication: no password). */
    public static final String USER = "postgres";
    /** The database the tests use. */
    public static final String DATABASE = "test";
    /** The JDBC URL of that database. */
    public static final String URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE;

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private PostgresServer() {
    }

    /** @return whether the server accepts connections on its port now */
    public static boolean reachable() {
        return unreachableBecause() == null;
    }

    /**
     * Call before a test that needs the server: when it does not answer, fails the test under {@code CI=true} (the
     * JDBC tests must run there), and elsewhere skips it with a loud message on standard error.
     */
    public static void assumeReachable() {
        String why = unreachableBecause();
        if (why == null) {
            return;
        }
        String message = "PostgreSQL is not reachable on " + HOST + ":" + PORT + " (" + why
                + "): run .ci/start-postgres";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the JDBC tests must run)");
        }
        System.err.println("\n**** SKIPPED: " + message + " ****\n");
        Assume.assumeTrue(message, false);
    }

    /** @return {@code jobs_test_} and 8 random hex digits: a schema no other test uses */
    public static String uniqueSchema() {
        return "jobs_test_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return the URL of the test database with the schema first on the search path */
    public static String urlFor(String schema) {
        return URL + "?currentSchema=" + schema;
    }

    /** @return a connection to the test database, in auto-commit mode, through {@link DriverManager} */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, "");
    }

    /** Creates the schema (auto-commit connection). */
    public static void createSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + checked(schema));
        }
    }

    /** Drops the schema and all it holds, if it exists (auto-commit connection). */
    public static void dropSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + checked(schema) + " CASCADE");
        }
    }

    private static String checked(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return schema;
    }

    private static String unreachableBecause() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), CONNECT_TIMEOUT_MILLIS);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
