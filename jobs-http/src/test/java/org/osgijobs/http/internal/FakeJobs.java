package org.osgijobs.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;

/** A runtime in a map: pipelines by name, pushes recorded, a failure to throw on push when set. */
final class FakeJobs implements Jobs {

    final Map<String, State> pipelines = new TreeMap<>();
    final List<Message> pushed = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile JobsException pushFailure;

    FakeJobs with(String pipeline) {
        pipelines.put(pipeline, State.builder(pipeline).driver("memory").queue(pipeline).ready(true).priority(10)
                .build());
        return this;
    }

    private State known(String pipeline) {
        State s = pipelines.get(pipeline);
        if (s == null) {
            throw new JobsException(JobsException.Kind.UNKNOWN_PIPELINE, "unknown pipeline '" + pipeline + "'");
        }
        return s;
    }

    @Override
    public void push(Message message) {
        known(message.pipeline());
        if (pushFailure != null) {
            throw pushFailure;
        }
        pushed.add(message);
    }

    @Override
    public CompletionStage<Void> pushAsync(Message message) {
        try {
            push(message);
            return CompletableFuture.completedFuture(null);
        } catch (JobsException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<PushResult> pushBatch(List<Message> messages) {
        List<PushResult> results = new ArrayList<>();
        for (Message m : messages) {
            try {
                if (m.name().startsWith("refuse")) {
                    throw new JobsException(JobsException.Kind.REJECTED, "broker refused " + m.id());
                }
                push(m);
                results.add(PushResult.accepted(m.id()));
            } catch (JobsException e) {
                results.add(PushResult.failed(m.id(), e));
            }
        }
        return results;
    }

    @Override
    public void pause(String pipeline) {
        known(pipeline);
        calls.add("pause " + pipeline);
        pipelines.put(pipeline, pipelines.get(pipeline).toBuilder().ready(false).build());
    }

    @Override
    public void resume(String pipeline) {
        known(pipeline);
        calls.add("resume " + pipeline);
        pipelines.put(pipeline, pipelines.get(pipeline).toBuilder().ready(true).build());
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(pipelines.keySet());
    }

    @Override
    public void declare(Map<String, String> options) {
        calls.add("declare " + new TreeMap<>(options));
        if (options.containsKey("priority") && !options.get("priority").matches("\\d+")) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + options.get("name")
                    + "': option 'priority' must be an integer, got '" + options.get("priority") + "'");
        }
        with(options.get("name"));
    }

    @Override
    public void destroy(String pipeline) {
        known(pipeline);
        calls.add("destroy " + pipeline);
        pipelines.remove(pipeline);
    }

    @Override
    public List<State> stat() {
        return new ArrayList<>(pipelines.values());
    }

    @Override
    public State stat(String pipeline) {
        return known(pipeline);
    }

    @Override
    public PipelineStats stats(String pipeline) {
        known(pipeline);
        return PipelineStats.builder(pipeline).pushed(pushed.stream().filter(m -> m.pipeline().equals(pipeline))
                .count()).build();
    }

    /** The jobs {@link #waiting} lists per pipeline (as a driver that can list them would). */
    final Map<String, List<Message>> stored = new TreeMap<>();

    @Override
    public List<Message> waiting(String pipeline, int limit) {
        known(pipeline);
        calls.add("waiting " + pipeline + " " + limit);
        if (limit < 1 || limit > 1000) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "limit must be from 1 to 1000, got " + limit);
        }
        List<Message> jobs = stored.getOrDefault(pipeline, List.of());
        return List.copyOf(jobs.subList(0, Math.min(limit, jobs.size())));
    }

    @Override
    public String runAgain(String deadLetterPipeline, String jobId) {
        known(deadLetterPipeline);
        calls.add("runAgain " + deadLetterPipeline + " " + jobId);
        List<Message> jobs = stored.getOrDefault(deadLetterPipeline, new ArrayList<>());
        Message letter = jobs.stream().filter(m -> m.id().equals(jobId)).findFirst().orElseThrow(
                () -> new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + deadLetterPipeline
                        + "': no waiting job has id '" + jobId + "'"));
        jobs.remove(letter);
        return letter.header("x-jobs-dead-letter-from");
    }
}
