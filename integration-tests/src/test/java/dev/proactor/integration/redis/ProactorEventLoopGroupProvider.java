package dev.proactor.integration.redis;

import dev.proactor.netty.ProactorEventLoopGroup;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.concurrent.TimeUnit;

/**
 * Gives Lettuce one existing {@link ProactorEventLoopGroup}, whatever group type it asks for (it asks for the
 * epoll, io_uring or NIO group class it found on the classpath). The caller owns the group: Lettuce's release and
 * shutdown leave it running.
 */
public final class ProactorEventLoopGroupProvider implements EventLoopGroupProvider {
    private final ProactorEventLoopGroup group;

    public ProactorEventLoopGroupProvider(ProactorEventLoopGroup group) {
        this.group = group;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        return (T) group;
    }

    @Override
    public int threadPoolSize() {
        return group.executorCount();
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
}
