package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * A TCP connection on the Proactor transport, a drop-in for {@code NioSocketChannel} / {@code EpollSocketChannel}.
 * The stream I/O (and how it pins ByteBufs until completions) is in {@link AbstractProactorStreamChannel}.
 */
public final class ProactorSocketChannel extends AbstractProactorStreamChannel implements SocketChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final ProactorSocketChannelConfig config;

    /** A new, unconnected socket: IPv6 dual-stack when the host has IPv6 and IPv4 is not preferred. */
    public ProactorSocketChannel() {
        this(newSocket((SocketProtocolFamily) null));
    }

    /** @deprecated use {@link #ProactorSocketChannel(SocketProtocolFamily)} */
    @Deprecated
    public ProactorSocketChannel(InternetProtocolFamily family) {
        this(newSocket(family == null ? null : family.toSocketProtocolFamily()));
    }

    public ProactorSocketChannel(SocketProtocolFamily family) {
        this(newSocket(family));
    }

    private ProactorSocketChannel(Socket socket) {
        super(null, socket, false);
        config = new ProactorSocketChannelConfig(this);
    }

    /** An accepted connection. */
    ProactorSocketChannel(ProactorServerSocketChannel parent, Socket socket) {
        super(parent, socket, true);
        config = new ProactorSocketChannelConfig(this);
    }

    static Socket newSocket(SocketProtocolFamily family) {
        boolean ipv6;
        if (family == null) {
            ipv6 = Socket.isIpv6Supported() && !NetUtil.isIpV4StackPreferred();
        } else if (family == SocketProtocolFamily.INET) {
            ipv6 = false;
        } else if (family == SocketProtocolFamily.INET6) {
            ipv6 = true;
        } else {
            throw new UnsupportedOperationException("ProactorSocketChannel is TCP over IPv4/IPv6; family " + family
                    + " is not supported");
        }
        try {
            return Socket.tcp(ipv6);
        } catch (IOException e) {
            throw new ChannelException("failed to open a socket: " + e.getMessage(), e);
        }
    }

    @Override
    public ProactorSocketChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected AbstractProactorUnsafe newUnsafe() {
        return new SocketUnsafe();
    }

    private final class SocketUnsafe extends StreamUnsafe {
        /**
         * With SO_LINGER above 0, close(2) blocks until the unsent data is gone or the time is up: close on another
         * thread then, as NIO does, so the event loop never stalls. No op is in flight by the time this runs.
         */
        @Override
        protected Executor prepareToClose() {
            try {
                if (isOpen() && config.getSoLinger() > 0) {
                    return GlobalEventExecutor.INSTANCE;
                }
            } catch (Throwable ignore) {
                // closes on the event loop
            }
            return null;
        }
    }
}
