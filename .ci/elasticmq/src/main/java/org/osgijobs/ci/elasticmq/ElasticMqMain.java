package org.osgijobs.ci.elasticmq;

import com.typesafe.config.ConfigFactory;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;

/**
 * Starts ElasticMQ's SQS REST server from the configuration named by {@code -Dconfig.file}, and stops it cleanly on
 * SIGTERM (so that its H2 message store is closed). ElasticMQ's own launcher lives in a module that is not published
 * to Maven Central; this is the same start in a few lines.
 */
public final class ElasticMqMain {
    private ElasticMqMain() {
    }

    public static void main(String[] args) {
        ElasticMQServer server = new ElasticMQServer(new ElasticMQServerConfig(ConfigFactory.load()));
        scala.Function0<?> shutdown = server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::apply, "elasticmq-shutdown"));
        System.out.println("ElasticMQ started");
    }
}
