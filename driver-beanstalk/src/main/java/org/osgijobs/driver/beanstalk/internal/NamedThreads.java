package org.osgijobs.driver.beanstalk.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named after what they do. */
final class NamedThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, count.getAndIncrement() == 0 ? name : name + "-" + count.get());
        t.setDaemon(true);
        return t;
    }
}
