package dev.proactor.netty;

import dev.proactor.runtime.DriverStats;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link MultiThreadIoEventLoopGroup} of {@link ProactorIoHandler}s: shorthand for
 * {@code new MultiThreadIoEventLoopGroup(n, ProactorIoHandler.newFactory(config))}.
 */
public final class ProactorEventLoopGroup extends MultiThreadIoEventLoopGroup {

    /** Netty's default number of threads (twice the cores, or {@code io.netty.eventLoopThreads}). */
    public ProactorEventLoopGroup() {
        this(0);
    }

    public ProactorEventLoopGroup(int nThreads) {
        this(nThreads, ProactorIoHandlerConfig.defaults());
    }

    public ProactorEventLoopGroup(int nThreads, ProactorIoHandlerConfig config) {
        super(nThreads, ProactorIoHandler.newFactory(config));
    }

    public ProactorEventLoopGroup(int nThreads, ThreadFactory threadFactory) {
        this(nThreads, threadFactory, ProactorIoHandlerConfig.defaults());
    }

    public ProactorEventLoopGroup(int nThreads, ThreadFactory threadFactory, ProactorIoHandlerConfig config) {
        super(nThreads, threadFactory, ProactorIoHandler.newFactory(config));
    }

    public ProactorEventLoopGroup(int nThreads, Executor executor, ProactorIoHandlerConfig config) {
        super(nThreads, executor, ProactorIoHandler.newFactory(config));
    }

    /** The driver counters of each event loop, in order: {@link Proactor#stats(io.netty.channel.EventLoopGroup)}. */
    public List<DriverStats> stats() {
        return Proactor.stats(this);
    }
}
