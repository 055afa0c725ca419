package dev.proactor.integration.redis;

import dev.proactor.integration.support.Loops;
import dev.proactor.netty.AbstractProactorChannel;
import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Lettuce client whose I/O runs on a Proactor event loop group with a forced driver; records its channels. */
final class LettuceOnProactor implements AutoCloseable {
    final DriverKind kind;
    final ProactorEventLoopGroup group;
    final ClientResources resources;
    final RedisClient client;
    final List<Channel> channels = new CopyOnWriteArrayList<>();

    LettuceOnProactor(DriverKind kind, RedisURI uri) {
        this.kind = kind;
        this.group = Loops.proactor(kind, 2);
        this.resources = ClientResources.builder()
                .eventLoopGroupProvider(new ProactorEventLoopGroupProvider(group))
                // Netty's DNS resolver would open a datagram channel of Lettuce's choosing on our event loops
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        channels.add(channel);
                    }
                })
                .build();
        this.client = new ProactorRedisClient(resources, uri);
    }

    /** Every connection Lettuce made is a Proactor channel on this group, running the forced driver. */
    void assertConnectionsOnProactor(int atLeast) {
        assertTrue(channels.size() >= atLeast, "connections made: " + channels.size());
        for (Channel channel : channels) {
            assertInstanceOf(ProactorSocketChannel.class, channel);
            assertEquals(kind, ((AbstractProactorChannel) channel).driverKind());
            assertTrue(inGroup(channel), channel + " runs on " + channel.eventLoop() + ", outside the Proactor group");
        }
    }

    private boolean inGroup(Channel channel) {
        for (EventExecutor loop : group) {
            if (loop == channel.eventLoop()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            assertTrue(resources.shutdown(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS));
        } finally {
            Loops.shutdown(group);
        }
        assertFalse(channels.stream().anyMatch(Channel::isOpen), "a connection is still open after shutdown");
    }
}
