package org.osgijobs.driver.amqp.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The connections of the pipelines built from one {@code jobs.amqp} configuration: one {@link SharedConnection}
 * per key (the broker address, credentials and TLS settings, which are one {@link ConnectionSettings}, and the
 * pipeline's {@code timeout}, which the client applies to a whole connection), counted by its users and closed
 * when the last one leaves. Pipelines thus add channels, not TCP connections.
 */
final class Connections {

    /** What a connection is shared by. */
    private static final class Key {
        final ConnectionSettings settings;
        final int rpcTimeoutSeconds;

        Key(ConnectionSettings settings, int rpcTimeoutSeconds) {
            this.settings = settings;
            this.rpcTimeoutSeconds = rpcTimeoutSeconds;
        }

        @Override
        public boolean equals(Object o) {
            // settings by identity: one configuration makes one instance, and it holds an SSLContext
            return o instanceof Key && ((Key) o).settings == settings && ((Key) o).rpcTimeoutSeconds == rpcTimeoutSeconds;
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(settings), rpcTimeoutSeconds);
        }
    }

    private static final class Entry {
        final SharedConnection connection;
        int users;

        Entry(SharedConnection connection) {
            this.connection = connection;
        }
    }

    private final String name;
    private final Map<Key, Entry> open = new HashMap<>();
    private int made;

    /** @param name the broker-visible name of the connections (a number is added when there are several) */
    Connections(String name) {
        this.name = name;
    }

    /**
     * @return the shared connection for these settings, counting one more user; give it back with
     *         {@link #release}
     */
    synchronized SharedConnection acquire(ConnectionSettings settings, int rpcTimeoutSeconds) {
        Entry e = open.computeIfAbsent(new Key(settings, rpcTimeoutSeconds),
                k -> new Entry(new SharedConnection(made++ == 0 ? name : name + "-" + made, settings,
                        rpcTimeoutSeconds)));
        e.users++;
        return e.connection;
    }

    /** One user less; the last one closes the connection (outside this lock: closing waits for the broker). */
    void release(SharedConnection connection) {
        SharedConnection unused = null;
        synchronized (this) {
            for (Map.Entry<Key, Entry> e : open.entrySet()) {
                if (e.getValue().connection == connection) {
                    if (--e.getValue().users == 0) {
                        open.remove(e.getKey());
                        unused = connection;
                    }
                    break;
                }
            }
        }
        if (unused != null) {
            unused.close();
        }
    }

    /** @return how many shared connections have users now */
    synchronized int size() {
        return open.size();
    }
}
