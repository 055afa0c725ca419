package dev.proactor.integration.redis;

import dev.proactor.netty.ProactorChannelOption;
import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorSocketChannel;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionEvents;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.BootstrapConfig;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import reactor.core.publisher.Mono;

import java.net.SocketAddress;
import java.util.Map;

/**
 * A Lettuce {@link RedisClient} whose connections are {@link ProactorSocketChannel}s. Lettuce takes its event loop
 * group from {@link ClientResources#eventLoopGroupProvider()} (give it {@link ProactorEventLoopGroupProvider}), but
 * picks the channel class itself from what is on the classpath (epoll, io_uring, kqueue or NIO) with no setting
 * to change it, and a bootstrap's channel class cannot be replaced once set (so a {@code NettyCustomizer} cannot
 * do it). This client overrides the protected hook that prepares each connection's bootstrap and hands Lettuce a
 * copy of it (same group, options, attributes and resolver) with Proactor's channel class and channel options.
 */
public class ProactorRedisClient extends RedisClient {

    public ProactorRedisClient(ClientResources resources, RedisURI uri) {
        super(resources, uri);
    }

    @Override
    protected void connectionBuilder(Mono<SocketAddress> socketAddressSupplier, ConnectionBuilder connectionBuilder,
                                     ConnectionEvents connectionEvents, RedisURI redisURI) {
        super.connectionBuilder(socketAddressSupplier, connectionBuilder, connectionEvents, redisURI);
        connectionBuilder.bootstrap(onProactor(connectionBuilder.bootstrap()));
    }

    @SuppressWarnings("unchecked")
    private static Bootstrap onProactor(Bootstrap lettuces) {
        BootstrapConfig config = lettuces.config();
        if (!(config.group() instanceof ProactorEventLoopGroup)) {
            throw new IllegalStateException("ClientResources must provide a ProactorEventLoopGroup "
                    + "(eventLoopGroupProvider(new ProactorEventLoopGroupProvider(group))), not " + config.group());
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(config.group())
                .channel(ProactorSocketChannel.class)
                .resolver(config.resolver());
        config.options().forEach((option, value) -> bootstrap.option((ChannelOption<Object>) onProactor(option), value));
        config.attrs().forEach((key, value) -> bootstrap.attr((AttributeKey<Object>) key, value));
        return bootstrap;
    }

    /**
     * Lettuce sets its keep-alive settings (on by default) with the option constants of the transport it found:
     * epoll's or io_uring's ({@code ...#TCP_KEEPIDLE}) or NIO's JDK options ({@code TCP_KEEPINTERVAL}). Proactor's
     * equivalents have the same types.
     */
    private static ChannelOption<?> onProactor(ChannelOption<?> option) {
        String name = option.name().substring(option.name().lastIndexOf('#') + 1);
        return FOREIGN_TCP_OPTIONS.getOrDefault(name, option);
    }

    private static final Map<String, ChannelOption<?>> FOREIGN_TCP_OPTIONS = Map.of(
            "TCP_KEEPIDLE", ProactorChannelOption.TCP_KEEPIDLE,
            "TCP_KEEPINTVL", ProactorChannelOption.TCP_KEEPINTVL,
            "TCP_KEEPINTERVAL", ProactorChannelOption.TCP_KEEPINTVL,
            "TCP_KEEPCNT", ProactorChannelOption.TCP_KEEPCNT,
            "TCP_KEEPCOUNT", ProactorChannelOption.TCP_KEEPCNT,
            "TCP_USER_TIMEOUT", ProactorChannelOption.TCP_USER_TIMEOUT);
}
