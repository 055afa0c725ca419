package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import io.netty.channel.Channel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;

import java.net.InetSocketAddress;

/**
 * A listening TCP socket on the Proactor transport, a drop-in for {@code NioServerSocketChannel} /
 * {@code EpollServerSocketChannel}. The accept loop is in {@link AbstractProactorServerChannel}.
 */
public final class ProactorServerSocketChannel extends AbstractProactorServerChannel implements ServerSocketChannel {
    private final ProactorServerSocketChannelConfig config;

    /** A new socket: IPv6 dual-stack when the host has IPv6 and IPv4 is not preferred. */
    public ProactorServerSocketChannel() {
        this((SocketProtocolFamily) null);
    }

    /** @deprecated use {@link #ProactorServerSocketChannel(SocketProtocolFamily)} */
    @Deprecated
    public ProactorServerSocketChannel(InternetProtocolFamily family) {
        this(family == null ? null : family.toSocketProtocolFamily());
    }

    public ProactorServerSocketChannel(SocketProtocolFamily family) {
        super(ProactorSocketChannel.newSocket(family));
        config = new ProactorServerSocketChannelConfig(this);
    }

    @Override
    public ProactorServerSocketChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    int backlog() {
        return config.getBacklog();
    }

    @Override
    Channel newChildChannel(Socket accepted) {
        return new ProactorSocketChannel(this, accepted);
    }
}
