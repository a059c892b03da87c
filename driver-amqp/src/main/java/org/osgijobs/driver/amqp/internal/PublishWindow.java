package org.osgijobs.driver.amqp.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The publishes of one pipeline that may be unconfirmed at once ({@code publish_window}), and a line of as many
 * more that wait for room, so that a push never blocks its caller (the runtime's {@code pushAsync} promises that)
 * and a producer that outruns the broker cannot fill the heap: beyond both, a publish is refused at once. A waiting
 * publish whose deadline passed by the time room comes fails then, with the same timeout as one in the window.
 */
final class PublishWindow {
    private final int size;
    private final Consumer<Outgoing> send;
    // guarded by this
    private int admitted;
    private boolean closed;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();

    /**
     * @param size how many publishes may be unconfirmed at once, and how many more may wait
     * @param send hands an admitted publish on (never called under this object's monitor)
     */
    PublishWindow(int size, Consumer<Outgoing> send) {
        this.size = size;
        this.send = send;
    }

    int size() {
        return size;
    }

    /** @return {@code false} when the window and its waiting line are both full: the publish is refused */
    boolean admit(Outgoing publish) {
        synchronized (this) {
            if (admitted >= size) {
                if (waiting.size() >= size) {
                    return false;
                }
                waiting.add(publish);
                return true;
            }
            admitted++;
        }
        send.accept(publish);
        return true;
    }

    /** A publish in the window finished (confirmed or failed): the first waiting one takes its place. */
    void release() {
        Outgoing next;
        synchronized (this) {
            if (closed) {
                return; // what finishes now was failed by the close: there is no room to pass on
            }
            next = waiting.poll();
            if (next == null) {
                admitted--;
                return;
            }
        }
        if (System.nanoTime() - next.deadlineNanos >= 0) {
            next.fail(Publisher.timedOut(next.what, size)); // its own release passes the room on
        } else {
            send.accept(next);
        }
    }

    /** @return the publishes still waiting for room, now forgotten: the publisher closes */
    List<Outgoing> drainWaiting() {
        synchronized (this) {
            closed = true;
            List<Outgoing> all = new ArrayList<>(waiting);
            waiting.clear();
            return all;
        }
    }
}
