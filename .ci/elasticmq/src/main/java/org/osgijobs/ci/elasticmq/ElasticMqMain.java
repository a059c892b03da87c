package org.osgijobs.ci.elasticmq;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;

/**
 * Starts ElasticMQ's SQS REST server from the configuration named by {@code -Dconfig.file}, and stops it cleanly on
 * SIGTERM. ElasticMQ's own launcher lives in a module that is not published to Maven Central; this is the same start
 * in a few lines, plus one thing: with {@code messages-storage} enabled, the H2 database is shut down (written out)
 * after the server stopped. H2's own shutdown hook would close it while ElasticMQ still stores the last sends
 * ("Database is already closed", and sends it had acknowledged were gone after a restart), so the configuration's
 * URI carries {@code DB_CLOSE_ON_EXIT=FALSE} and this hook closes it in the right order instead.
 */
public final class ElasticMqMain {
    private ElasticMqMain() {
    }

    public static void main(String[] args) {
        Config config = ConfigFactory.load();
        ElasticMQServer server = new ElasticMQServer(new ElasticMQServerConfig(config));
        scala.Function0<?> shutdown = server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.apply();
            if (config.getBoolean("messages-storage.enabled")) {
                closeStore(config.getString("messages-storage.uri"), config.getString("messages-storage.username"),
                        config.getString("messages-storage.password"));
            }
        }, "elasticmq-shutdown"));
        System.out.println("ElasticMQ started");
    }

    private static void closeStore(String uri, String user, String password) {
        try (Connection c = DriverManager.getConnection(uri, user, password); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
            System.out.println("ElasticMQ message store closed");
        } catch (SQLException e) {
            System.out.println("ElasticMQ message store not closed cleanly: " + e);
        }
    }
}
