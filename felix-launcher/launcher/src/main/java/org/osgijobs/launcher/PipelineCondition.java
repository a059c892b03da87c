package org.osgijobs.launcher;

import java.util.Optional;
import java.util.function.Supplier;

/** What {@code launcher:await} waits for. */
final class PipelineCondition {
    private enum Kind {
        PRESENT, ABSENT, CONSUMING, PAUSED, FAILING, PROCESSED
    }

    private static final String PROCESSED = "processed=";

    private final Kind kind;
    private final long processed;

    private PipelineCondition(Kind kind, long processed) {
        this.kind = kind;
        this.processed = processed;
    }

    /**
     * @param text {@code present}, {@code absent}, {@code consuming}, {@code paused}, {@code failing} or
     *             {@code processed=N}
     * @throws IllegalArgumentException naming the text when it is none of them
     */
    static PipelineCondition parse(String text) {
        String t = text.trim();
        if (t.startsWith(PROCESSED)) {
            try {
                long n = Long.parseLong(t.substring(PROCESSED.length()));
                if (n >= 0) {
                    return new PipelineCondition(Kind.PROCESSED, n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        } else {
            for (Kind kind : Kind.values()) {
                if (kind != Kind.PROCESSED && kind.name().equalsIgnoreCase(t)) {
                    return new PipelineCondition(kind, 0);
                }
            }
        }
        throw new IllegalArgumentException("await: unknown condition '" + text
                + "' (use present, absent, consuming, paused, failing or processed=N)");
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
        default:
            return state.isPresent() && backlog.get().filter(b -> b.processed() >= processed).isPresent();
        }
    }
}
