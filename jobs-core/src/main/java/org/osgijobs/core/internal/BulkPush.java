package org.osgijobs.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.osgijobs.api.JobProducer;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

/**
 * {@code jobs:push ... count=N}: many copies of one job, with a bounded window of pushes in flight, stopping at the
 * first refusal. A script pushes in bulk this way in constant memory, where a Gogo loop keeps every iteration's
 * buffers until the statement ends.
 */
final class BulkPush {
    /** Pushes in flight at once: enough to keep a broker's confirm window busy, small in memory. */
    static final int WINDOW = 1000;

    private BulkPush() {
    }

    /**
     * @return what was pushed
     * @throws JobsException naming how many were pushed before the first refusal, and why it was refused
     */
    static String run(JobProducer jobs, Message template, long count) {
        ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        long confirmed = 0;
        try {
            for (long i = 0; i < count; i++) {
                if (inFlight.size() >= WINDOW) {
                    inFlight.poll().join();
                    confirmed++;
                }
                Message copy = template.toBuilder().id(null).build();
                inFlight.add(jobs.pushAsync(copy).toCompletableFuture());
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().join();
                confirmed++;
            }
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            long settledAfter = drain(inFlight);
            throw new JobsException(cause instanceof JobsException ? ((JobsException) cause).kind()
                    : JobsException.Kind.REJECTED, "pushed " + (confirmed + settledAfter) + " of " + count + " jobs to '"
                    + template.pipeline() + "', then: " + cause.getMessage(), cause);
        }
        return "pushed " + count + " jobs to " + template.pipeline();
    }

    /** @return how many of the pushes still in flight were stored after all */
    private static long drain(ArrayDeque<CompletableFuture<Void>> inFlight) {
        long stored = 0;
        for (CompletableFuture<Void> push : inFlight) {
            try {
                push.join();
                stored++;
            } catch (CompletionException ignored) {
                // refused as well: counted out
            }
        }
        return stored;
    }
}
