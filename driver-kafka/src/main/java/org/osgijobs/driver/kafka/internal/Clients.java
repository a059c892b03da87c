package org.osgijobs.driver.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds the Kafka clients under OSGi: kafka-clients is embedded in this bundle and loads classes named in its
 * configuration (assignors, login modules, callback handlers) through the thread context class loader, so every
 * client is built with that loader set to this bundle's, and the serializers are passed as instances.
 */
final class Clients {

    private Clients() {
    }

    static KafkaProducer<byte[], byte[]> producer(Map<String, Object> config) {
        return withBundleLoader(() -> new KafkaProducer<>(new HashMap<>(config), new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return withBundleLoader(() -> new KafkaConsumer<>(new HashMap<>(config), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()));
    }

    static Admin admin(Map<String, Object> config) {
        return withBundleLoader(() -> Admin.create(new HashMap<>(config)));
    }

    private static <T> T withBundleLoader(Supplier<T> build) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Clients.class.getClassLoader());
        try {
            return build.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
