package org.osgijobs.driver.memory.internal;

import java.util.List;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.TestQueue;

/** A queue that forwards to a {@link TestQueue}; tests override a method to make the queue misbehave. */
class DelegatingQueue implements Queue {
    final TestQueue real;

    DelegatingQueue(TestQueue real) {
        this.real = real;
    }

    @Override
    public void insert(Job job) throws InterruptedException {
        real.insert(job);
    }

    @Override
    public boolean offer(Job job) {
        return real.offer(job);
    }

    @Override
    public String pipeline() {
        return real.pipeline();
    }

    @Override
    public List<Job> withdraw() {
        return real.withdraw();
    }

    @Override
    public int size() {
        return real.size();
    }

    @Override
    public int capacity() {
        return real.capacity();
    }
}
