package dev.proactor.reliability.chaos;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;

/** Netty's default thread factory, remembering every thread it made so a test can check they all ended. */
public final class RecordingThreadFactory implements ThreadFactory {
    private final ThreadFactory delegate;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public RecordingThreadFactory(String prefix) {
        delegate = new DefaultThreadFactory(prefix);
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = delegate.newThread(r);
        threads.add(t);
        return t;
    }

    public int created() {
        return threads.size();
    }

    /** Threads still alive after waiting up to {@code millis} for each. */
    public List<String> stillAlive(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toList());
    }
}
