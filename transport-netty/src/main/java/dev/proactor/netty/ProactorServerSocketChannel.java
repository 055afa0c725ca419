package dev.proactor.netty;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A listening TCP socket on the Proactor transport, a drop-in for {@code NioServerSocketChannel} /
 * {@code EpollServerSocketChannel}. One multishot accept stays armed while the channel reads: each completion
 * carries a new connection, without a system call per accept on io_uring.
 */
public final class ProactorServerSocketChannel extends AbstractProactorChannel implements ServerSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProactorServerSocketChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int ECANCELED = -Errno.ECANCELED;

    private final ProactorServerSocketChannelConfig config;
    private final Op acceptOp = new Op();
    private final ProactorIoOps acceptOps = new ProactorIoOps(acceptOp);
    private final Runnable endReadLoopTask = this::endReadLoop;

    private boolean readPending;
    private boolean readLoopActive;

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
        super(null, ProactorSocketChannel.newSocket(family), false);
        config = new ProactorServerSocketChannelConfig(this);
    }

    @Override
    public ProactorServerSocketChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
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
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected AbstractProactorUnsafe newUnsafe() {
        return new ServerUnsafe();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        socket.listen(config.getBacklog());
        active = true;
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!active || acceptOp.isInFlight() || isClosing()) {
            return;
        }
        submitAccept();
    }

    private void submitAccept() {
        // No address buffer: with multishot, one buffer would be overwritten by the next accept before the
        // completion is read. The child asks getpeername instead.
        acceptOp.prepareAccept(socket.fd(), 0, 0, Op.ACCEPT_MULTISHOT);
        submit(acceptOps);
    }

    void autoReadCleared() {
        if (!isRegistered()) {
            return;
        }
        runOnLoop(() -> {
            readPending = false;
            cancel(acceptOps);
        });
    }

    private void acceptComplete(int res, int flags) {
        if (res >= 0) {
            if (isClosing() || !isOpen()) {
                closeQuietly(res);
            } else {
                accepted(res);
            }
        } else if (res != ECANCELED && !isClosing()) {
            endReadLoop();
            readPending = false;
            // ServerBootstrap's acceptor pauses autoRead for a second on such errors (EMFILE ...).
            pipeline().fireExceptionCaught(ErrnoException.of("accept", res));
        }
        if (!Completion.hasMore(flags) && !isClosing() && isOpen() && active
                && (readPending || config.isAutoRead()) && !acceptOp.isInFlight()) {
            submitAccept();
        }
    }

    private void accepted(int fd) {
        ProactorSocketChannel child;
        try {
            child = new ProactorSocketChannel(this, Socket.adopt(fd, socket.family(), LinuxConstants.SOCK_STREAM));
        } catch (Throwable t) {
            closeQuietly(fd);
            pipeline().fireExceptionCaught(t);
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        if (!readLoopActive) {
            // Completions come in batches whose end the channel cannot see: end the read loop after this batch.
            readLoopActive = true;
            handle.reset(config);
            eventLoop().execute(endReadLoopTask);
        }
        handle.incMessagesRead(1);
        readPending = false;
        pipeline().fireChannelRead(child);
        if (!handle.continueReading()) {
            endReadLoop();
        }
    }

    private void endReadLoop() {
        if (!readLoopActive) {
            return;
        }
        readLoopActive = false;
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        handle.readComplete();
        pipeline().fireChannelReadComplete();
        if (!readPending && !config.isAutoRead()) {
            // Nobody asked for more connections: stop accepting (completions already on their way still arrive).
            cancel(acceptOps);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Socket.adopt(fd, 0, 0).close();
        } catch (IOException e) {
            logger.debug("close({}) failed", fd, e);
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        throw new UnsupportedOperationException("a server channel cannot write");
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        throw new UnsupportedOperationException("a server channel cannot write");
    }

    private final class ServerUnsafe extends AbstractProactorUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a server channel cannot connect"));
        }

        @Override
        void complete(Op op, int result, int flags) {
            if (op == acceptOp) {
                acceptComplete(result, flags);
            }
        }

        @Override
        boolean hasOpsInFlight() {
            return acceptOp.isInFlight();
        }

        @Override
        void cancelOps() {
            cancel(acceptOps);
        }
    }
}
