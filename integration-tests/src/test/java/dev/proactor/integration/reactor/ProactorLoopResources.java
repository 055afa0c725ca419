package dev.proactor.integration.reactor;

import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reactor Netty's {@link LoopResources} on Proactor: servers accept and serve on one Proactor group, clients run on
 * another, and the TCP channel types Reactor Netty asks for are Proactor's. Use with {@code runOn(resources)}.
 */
public final class ProactorLoopResources implements LoopResources {
    private final ProactorEventLoopGroup serverGroup;
    private final ProactorEventLoopGroup clientGroup;

    public ProactorLoopResources(ProactorEventLoopGroup serverGroup, ProactorEventLoopGroup clientGroup) {
        this.serverGroup = serverGroup;
        this.clientGroup = clientGroup;
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return serverGroup;
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return serverGroup;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return clientGroup;
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
        if (channelType == SocketChannel.class) {
            return ProactorSocketChannel.class.asSubclass(channelType);
        }
        if (channelType == ServerSocketChannel.class) {
            return ProactorServerSocketChannel.class.asSubclass(channelType);
        }
        // e.g. DatagramChannel for Netty's DNS resolver: give the client a resolver that needs none
        throw new UnsupportedOperationException("Proactor has no channel for " + channelType.getName());
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        try {
            return onChannelClass(channelType, group).getConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> Mono.when(
                shutdown(serverGroup, quietPeriod, timeout), shutdown(clientGroup, quietPeriod, timeout)));
    }

    @Override
    public boolean isDisposed() {
        return serverGroup.isTerminated() && clientGroup.isTerminated();
    }

    private static Mono<Void> shutdown(EventLoopGroup group, Duration quietPeriod, Duration timeout) {
        return Mono.create(sink -> {
            Future<?> f = group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
            f.addListener(done -> {
                if (done.isSuccess()) {
                    sink.success();
                } else {
                    sink.error(done.cause());
                }
            });
        });
    }
}
