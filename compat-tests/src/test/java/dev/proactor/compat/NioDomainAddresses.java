package dev.proactor.compat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Lets a Netty NIO domain channel take the testsuite's {@link DomainSocketAddress}: rewrites it to the JDK's
 * {@link UnixDomainSocketAddress} on bind and connect. Installed first in the pipeline when the channel is made,
 * so it stays in place whatever handlers a test sets. Abstract-namespace names (leading NUL) have no JDK form;
 * the JDK rejects them, so tests that use them run Proactor on both ends only.
 */
@ChannelHandler.Sharable
final class NioDomainAddresses extends ChannelOutboundHandlerAdapter {
    private static final NioDomainAddresses INSTANCE = new NioDomainAddresses();

    static <C extends Channel> C install(C channel) {
        channel.pipeline().addFirst("nio-domain-addresses", INSTANCE);
        return channel;
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(toJdk(localAddress), promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                        ChannelPromise promise) {
        ctx.connect(toJdk(remoteAddress), toJdk(localAddress), promise);
    }

    static SocketAddress toJdk(SocketAddress address) {
        if (address instanceof DomainSocketAddress) {
            return UnixDomainSocketAddress.of(((DomainSocketAddress) address).path());
        }
        return address;
    }
}
