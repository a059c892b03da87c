package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.osgijobs.api.driver.Constructor;

/**
 * The driver {@link Constructor} services by {@code driver.name}. When two claim one name, the first registered
 * (lowest service id) serves and the other waits as a stand-by; the conflict is reported by the caller. Not
 * thread-safe: the runtime uses it under its management lock.
 */
final class DriverRegistry {

    /** One constructor service. */
    record Entry(String name, Constructor constructor, long serviceId) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * @return the constructor that served the name before this one arrived, or empty when none did (so this one
     *         serves now)
     */
    Optional<Entry> add(Entry entry) {
        Optional<Entry> before = active(entry.name());
        entries.add(entry);
        entries.sort(Comparator.comparingLong(Entry::serviceId));
        return before;
    }

    /** @return the entry removed, if the constructor was registered */
    Optional<Entry> remove(Constructor constructor) {
        for (Entry e : entries) {
            if (e.constructor() == constructor) {
                entries.remove(e);
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** @return the constructor serving the name */
    Optional<Entry> active(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** @return the names that have a constructor, sorted */
    List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        entries.forEach(e -> names.add(e.name()));
        return List.copyOf(names);
    }
}
