package org.osgijobs.driver.kafka.internal;

import java.util.Locale;

import org.osgijobs.api.driver.Pipeline;

/**
 * Where consuming starts when there is no committed offset (RoadRunner's {@code consumer_offset} and the entries
 * of {@code consume_partitions}): {@code AtStart}, {@code AtEnd}, {@code At} (value = offset), {@code AfterMilli}
 * (value = epoch milliseconds), {@code Relative} (value added to the end offset when negative, to the start
 * offset otherwise) and {@code WithEpoch} (read as {@code At}: the epoch is not checked).
 *
 * @param type  the kind of start
 * @param value its value
 */
record OffsetSpec(Type type, long value) {

    /** RoadRunner's offset types. */
    enum Type {
        AT_START("AtStart"), AT_END("AtEnd"), AT("At"), AFTER_MILLI("AfterMilli"), RELATIVE("Relative"),
        WITH_EPOCH("WithEpoch");

        final String roadRunnerName;

        Type(String roadRunnerName) {
            this.roadRunnerName = roadRunnerName;
        }
    }

    static final OffsetSpec AT_START = new OffsetSpec(Type.AT_START, 0);

    /**
     * @param p      the pipeline
     * @param prefix the flattened option prefix, e.g. {@code consumer_options.consumer_offset}
     * @param dflt   when {@code <prefix>.type} is absent
     * @return the offset spec
     */
    static OffsetSpec of(Pipeline p, String prefix, OffsetSpec dflt) {
        String type = p.getString(prefix + ".type", "");
        if (type.isEmpty()) {
            return dflt;
        }
        for (Type t : Type.values()) {
            if (t.roadRunnerName.toLowerCase(Locale.ROOT).equals(type.toLowerCase(Locale.ROOT))) {
                return new OffsetSpec(t, p.getLong(prefix + ".value", 0));
            }
        }
        throw p.bad(prefix + ".type", type, "one of AtStart, AtEnd, At, AfterMilli, Relative, WithEpoch");
    }

    /** @return {@code earliest} or {@code latest}, the consumer's reset policy that fits best */
    String resetPolicy() {
        return type == Type.AT_END || (type == Type.RELATIVE && value < 0) ? "latest" : "earliest";
    }

    /** @return {@code true} when the start needs a seek (the reset policy alone does not express it) */
    boolean needsSeek() {
        return type != Type.AT_START && type != Type.AT_END;
    }

    @Override
    public String toString() {
        return type.roadRunnerName + (needsSeek() ? "(" + value + ")" : "");
    }
}
