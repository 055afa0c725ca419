package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.File;
import java.net.SocketAddress;

/**
 * A listening Unix domain stream socket on the Proactor transport, a drop-in for
 * {@code EpollServerDomainSocketChannel}; accepted connections are {@link ProactorDomainSocketChannel}s. As with
 * epoll, the socket file of a filesystem address is removed when the channel closes.
 */
public final class ProactorServerDomainSocketChannel extends AbstractProactorServerChannel implements ServerDomainSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProactorServerDomainSocketChannel.class);

    private final ProactorServerDomainSocketChannelConfig config;
    private final ChannelFileDescriptor fd;
    private volatile DomainSocketAddress bound;

    public ProactorServerDomainSocketChannel() {
        super(ProactorDomainSocketChannel.newSocket());
        config = new ProactorServerDomainSocketChannelConfig(this);
        fd = new ChannelFileDescriptor(this, socket.fd());
    }

    @Override
    public ProactorServerDomainSocketChannelConfig config() {
        return config;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public DomainSocketAddress localAddress() {
        return (DomainSocketAddress) super.localAddress();
    }

    @Override
    public DomainSocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress localAddress0() {
        DomainSocketAddress b = bound;
        return b != null ? b : DomainSocketAddresses.toNetty(super.localAddress0());
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(DomainSocketAddresses.toNative(localAddress));
        bound = localAddress instanceof DomainSocketAddress ? (DomainSocketAddress) localAddress
                : DomainSocketAddresses.toNetty(localAddress);
    }

    @Override
    protected void doClose() throws Exception {
        try {
            super.doClose();
        } finally {
            DomainSocketAddress b = bound;
            if (DomainSocketAddresses.isFile(b) && !new File(b.path()).delete() && logger.isDebugEnabled()) {
                logger.debug("could not remove the socket file {}", b.path());
            }
        }
    }

    @Override
    int backlog() {
        return config.getBacklog();
    }

    @Override
    Channel newChildChannel(Socket accepted) {
        return new ProactorDomainSocketChannel(this, accepted);
    }
}
