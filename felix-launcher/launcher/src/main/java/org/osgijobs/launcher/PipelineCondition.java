package org.osgijobs.launcher;

import java.util.Optional;
import java.util.function.Supplier;

/** What {@code launcher:await} waits for. */
final class PipelineCondition {
    private enum Kind {
        PRESENT, ABSENT, CONSUMING, PAUSED, FAILING, PROCESSED, PRIORITY
    }

    private static final String PROCESSED = "processed=";
    private static final String PRIORITY = "priority=";

    private final Kind kind;
    /** The processed count or the priority the condition compares with. */
    private final long number;

    private PipelineCondition(Kind kind, long number) {
        this.kind = kind;
        this.number = number;
    }

    /**
     * @param text {@code present}, {@code absent}, {@code consuming}, {@code paused}, {@code failing},
     *             {@code processed=N} (at least N jobs processed) or {@code priority=N}
     * @throws IllegalArgumentException naming the text when it is none of them
     */
    static PipelineCondition parse(String text) {
        String t = text.trim();
        if (t.startsWith(PROCESSED) || t.startsWith(PRIORITY)) {
            Kind kind = t.startsWith(PROCESSED) ? Kind.PROCESSED : Kind.PRIORITY;
            try {
                long n = Long.parseLong(t.substring(t.indexOf('=') + 1));
                if (n >= 0) {
                    return new PipelineCondition(kind, n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        } else {
            for (Kind kind : Kind.values()) {
                if (kind != Kind.PROCESSED && kind != Kind.PRIORITY && kind.name().equalsIgnoreCase(t)) {
                    return new PipelineCondition(kind, 0);
                }
            }
        }
        throw new IllegalArgumentException("await: unknown condition '" + text
                + "' (use present, absent, consuming, paused, failing, processed=N or priority=N)");
    }

    /**
     * @param state   the pipeline's state, empty when there is no such pipeline
     * @param backlog reads the pipeline's counters, only when needed
     */
    boolean holds(Optional<JobsProbe.PipelineState> state, Supplier<Optional<JobsProbe.Backlog>> backlog) {
        switch (kind) {
        case ABSENT:
            return state.isEmpty();
        case PRESENT:
            return state.isPresent();
        case CONSUMING:
            return state.filter(s -> s.consuming() && s.error().isEmpty()).isPresent();
        case PAUSED:
            return state.filter(s -> !s.consuming() && s.error().isEmpty()).isPresent();
        case FAILING:
            return state.filter(s -> !s.error().isEmpty()).isPresent();
        case PRIORITY:
            return state.filter(s -> s.priority() == number).isPresent();
        default:
            return state.isPresent() && backlog.get().filter(b -> b.processed() >= number).isPresent();
        }
    }
}
