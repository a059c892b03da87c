package org.osgijobs.launcher;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Gogo commands in scope {@code launcher}, registered by the launcher itself: {@code drain} lets a script wait
 * until a pipeline has done its work, {@code await} until a pipeline reaches a state, {@code shutdown} stops the
 * runtime gracefully from the console. Gogo calls these public methods reflectively, so no Gogo type is needed.
 */
public final class LauncherCommands {
    static final String SCOPE = "launcher";
    static final String[] FUNCTIONS = { "drain", "await", "shutdown" };
    /** How long {@code drain} waits when no timeout is given, in seconds. */
    static final long DEFAULT_DRAIN_SECONDS = 60;
    private static final long POLL_MILLIS = 20;

    /** Reads a pipeline's backlog; empty while the runtime is not there. */
    @FunctionalInterface
    interface BacklogSource {
        Optional<JobsProbe.Backlog> backlog(String pipeline);
    }

    /** Reads every pipeline's state; empty while the runtime is not there. */
    @FunctionalInterface
    interface StateSource {
        Optional<List<JobsProbe.PipelineState>> pipelines();
    }

    private final BacklogSource backlogs;
    private final StateSource states;
    private final Runnable stopper;
    private final LongSupplier clock;

    LauncherCommands(BacklogSource backlogs, StateSource states, Runnable stopper, LongSupplier nanoClock) {
        this.backlogs = backlogs;
        this.states = states;
        this.stopper = stopper;
        this.clock = nanoClock;
    }

    /** {@code launcher:drain <pipeline>}: waits up to 60 s until the pipeline has no job waiting or running. */
    public String drain(String pipeline) throws InterruptedException {
        return drain(pipeline, DEFAULT_DRAIN_SECONDS);
    }

    /**
     * {@code launcher:drain <pipeline> <seconds>}: waits until the pipeline has no job queued, delayed or in
     * flight.
     *
     * @return a summary with the pipeline's processed count
     * @throws IllegalStateException when the pipeline still has work after the timeout
     */
    public String drain(String pipeline, long seconds) throws InterruptedException {
        if (seconds < 0) {
            throw new IllegalArgumentException("drain: timeout must not be negative, got " + seconds);
        }
        long deadline = clock.getAsLong() + seconds * 1_000_000_000L;
        Optional<JobsProbe.Backlog> last = Optional.empty();
        while (true) {
            last = backlogs.backlog(pipeline);
            if (last.isPresent() && last.get().empty()) {
                return "pipeline " + pipeline + " drained: " + last.get().processed() + " processed";
            }
            if (clock.getAsLong() - deadline >= 0) {
                throw new IllegalStateException("drain: pipeline " + pipeline + " still busy after " + seconds
                        + " s: " + last.map(b -> "queued=" + b.queued() + " in_flight=" + b.inFlight() + " delayed="
                                + b.delayed()).orElse("the jobs runtime is not running"));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** {@code launcher:await <pipeline> <condition>}: {@link #await(String, String, long)} with 60 s. */
    public String await(String pipeline, String condition) throws InterruptedException {
        return await(pipeline, condition, DEFAULT_DRAIN_SECONDS);
    }

    /**
     * {@code launcher:await <pipeline> <condition> <seconds>}: waits until the pipeline is {@code present},
     * {@code absent}, {@code consuming}, {@code paused}, {@code failing} (its state shows an error, such as an
     * unavailable driver), has {@code processed=N} jobs or more, or has the priority {@code priority=N}.
     *
     * @return the pipeline's state once the condition holds
     * @throws IllegalStateException when it does not hold after the timeout
     */
    public String await(String pipeline, String condition, long seconds) throws InterruptedException {
        PipelineCondition wanted = PipelineCondition.parse(condition);
        if (seconds < 0) {
            throw new IllegalArgumentException("await: timeout must not be negative, got " + seconds);
        }
        long deadline = clock.getAsLong() + seconds * 1_000_000_000L;
        while (true) {
            Optional<List<JobsProbe.PipelineState>> all = states.pipelines();
            Optional<JobsProbe.PipelineState> state = all
                    .flatMap(list -> list.stream().filter(s -> s.name().equals(pipeline)).findFirst());
            boolean runtimeThere = all.isPresent();
            if (runtimeThere && wanted.holds(state, () -> backlogs.backlog(pipeline))) {
                return "pipeline " + pipeline + " " + condition + ": " + state.map(Object::toString).orElse("absent");
            }
            if (clock.getAsLong() - deadline >= 0) {
                throw new IllegalStateException("await: pipeline " + pipeline + " not " + condition + " after "
                        + seconds + " s; it is " + (runtimeThere ? state.map(Object::toString).orElse("absent")
                                : "unknown: the jobs runtime is not running"));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** {@code launcher:shutdown}: stops the runtime gracefully, as Ctrl-C or SIGTERM would. */
    public String shutdown() {
        stopper.run();
        return "stopping the runtime";
    }
}
