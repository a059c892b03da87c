package org.osgijobs.driver.local.internal;

import java.util.Locale;

/** When a push is forced to disk before it completes: the {@code sync} option of a local pipeline. */
enum SyncPolicy {
    /** Each push gets a commit and a force of its own before it completes. */
    ALWAYS,
    /** Pushes that arrive together share one commit and one force (group commit). */
    BATCH,
    /** Pushes are written to the operating system before they complete, which writes them to disk when it likes. */
    NONE;

    /** @return the policy an option value names, or {@code null} when it names none */
    static SyncPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean forces() {
        return this != NONE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
