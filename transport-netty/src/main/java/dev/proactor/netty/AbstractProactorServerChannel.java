package dev.proactor.netty;

import java.util.concurrent.TimeUnit;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A listening stream socket (TCP, or Unix domain) on the Proactor transport. One multishot accept stays armed
 * while the channel reads: each completion carries a new connection, without a system call per accept on
 * io_uring.
 */
public abstract class AbstractProactorServerChannel extends AbstractProactorChannel implements ServerChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractProactorServerChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int ECANCELED = -Errno.ECANCELED;
    /** How long accepting pauses when the process or system is out of descriptors or memory. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;

    static {
        // Accept fails with EMFILE when the process is out of descriptors, and then loading a class from a
        // directory on the class path fails too: load what the error path needs while files can still be opened.
        ErrnoException.of("accept", Errno.EMFILE);
    }

    private final Op acceptOp = new Op();
    private final ProactorIoOps acceptOps = new ProactorIoOps(acceptOp);
    private final Runnable endReadLoopTask = this::endReadLoop;
    private final Runnable endAcceptBackoffTask = this::endAcceptBackoff;

    private boolean readPending;
    private boolean readLoopActive;
    /** Accepting is paused after EMFILE and the like; a scheduled task resumes it. */
    private boolean acceptBackoff;

    AbstractProactorServerChannel(Socket socket) {
        super(null, socket, false);
    }

    /** The listen(2) backlog. */
    abstract int backlog();

    /** A channel for an accepted connection. */
    abstract Channel newChildChannel(Socket accepted);

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
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
        socket.listen(backlog());
        active = true;
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!active || acceptOp.isInFlight() || isClosing() || acceptBackoff) {
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
            if (isOutOfResources(res)) {
                // The connection stays in the backlog, so accepting again at once fails at once, in a loop: pause.
                // (ServerBootstrap's acceptor also pauses auto-read for a second on any accept error.)
                acceptBackoff = true;
                eventLoop().schedule(endAcceptBackoffTask, ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            }
            pipeline().fireExceptionCaught(ErrnoException.of("accept", res));
        }
        if (!Completion.hasMore(flags)) {
            acceptAgainIfWanted();
        }
    }

    private static boolean isOutOfResources(int res) {
        return res == -Errno.EMFILE || res == -Errno.ENFILE || res == -Errno.ENOBUFS || res == -Errno.ENOMEM;
    }

    private void endAcceptBackoff() {
        acceptBackoff = false;
        acceptAgainIfWanted();
    }

    private void acceptAgainIfWanted() {
        if (!isClosing() && isOpen() && active && !acceptBackoff && (readPending || config().isAutoRead())
                && !acceptOp.isInFlight()) {
            submitAccept();
        }
    }

    private void accepted(int fd) {
        Channel child;
        try {
            child = newChildChannel(Socket.adopt(fd, socket.family(), LinuxConstants.SOCK_STREAM));
        } catch (Throwable t) {
            closeQuietly(fd);
            pipeline().fireExceptionCaught(t);
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        if (!readLoopActive) {
            // Completions come in batches whose end the channel cannot see: end the read loop after this batch.
            readLoopActive = true;
            handle.reset(config());
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
        if (!readPending && !config().isAutoRead()) {
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
