package org.osgijobs.driver.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's admin client: checks that the cluster answers (within {@code ping.timeout}), and makes sure the
 * topics exist: the pipeline's own when {@code auto_create_topics_enable} is set, and always its delay topic (with
 * as many partitions as the pipeline's topic), which is this driver's delay mechanism.
 */
final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private final Admin admin;
    private final PipelineOptions options;
    private final ConnectionSettings settings;
    private volatile boolean ensured;

    Topics(ConnectionSettings settings, PipelineOptions options) {
        this.settings = settings;
        this.options = options;
        Map<String, Object> c = settings.clientProperties();
        c.put("client.id", "osgijobs-" + options.pipeline + "-admin");
        c.put("request.timeout.ms", (int) Math.min(Integer.MAX_VALUE, settings.pingMillis()));
        c.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, Math.max(settings.pingMillis(),
                options.timeoutSeconds * 1000L)));
        this.admin = Clients.admin(c);
    }

    /** @return {@code null} when the cluster answered within the ping timeout, else what is wrong */
    String ping() {
        try {
            admin.describeCluster().nodes().get(settings.pingMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return "kafka " + settings + " does not answer within " + settings.pingMillis() + " ms: "
                    + settings.mask(cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    boolean ensured() {
        return ensured;
    }

    /**
     * Creates the missing topics the pipeline needs (once it succeeded, never again).
     *
     * @return {@code null} when done, else what is wrong
     */
    String ensure() {
        if (ensured) {
            return null;
        }
        try {
            Set<String> existing = admin.listTopics().names().get(settings.pingMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> create = new ArrayList<>();
            int partitions = options.topicPartitions;
            if (options.topicPattern == null) {
                for (String topic : options.topics) {
                    if (!existing.contains(topic) && options.autoCreateTopics) {
                        create.add(newTopic(topic, partitions));
                    }
                }
            }
            if (existing.contains(options.pushTopic)) {
                TopicDescription d = admin.describeTopics(List.of(options.pushTopic)).allTopicNames()
                        .get(settings.pingMillis(), TimeUnit.MILLISECONDS).get(options.pushTopic);
                partitions = d.partitions().size();
            }
            if (!existing.contains(options.delayTopic)) {
                create.add(newTopic(options.delayTopic, partitions));
            }
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get(settings.pingMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("pipeline '{}': created topics {}", options.pipeline, create);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            ensured = true;
            return null;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return "pipeline '" + options.pipeline + "': cannot prepare topics on kafka " + settings + ": "
                    + settings.mask(cause.getClass().getSimpleName() + " " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static NewTopic newTopic(String name, int partitions) {
        return new NewTopic(name, partitions > 0 ? Optional.of(partitions) : Optional.empty(), Optional.empty());
    }

    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
