package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.net.Socket;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.PromiseNotifier;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Base of the Proactor channels. The channel's {@link AbstractProactorUnsafe Unsafe} is its {@link ProactorIoHandle}:
 * every I/O is a runtime {@link Op} submitted through the registration, and every completion comes back to
 * {@link AbstractProactorUnsafe#handle}.
 *
 * <p>Closing follows one rule: the kernel may be using memory that belongs to this channel (the read buffer, the
 * ByteBufs being written, socket addresses) until each op's final completion. So a close first cancels the ops
 * in flight and waits for their completions; only then does Netty's close run, which fails and releases the
 * outbound buffers, and the socket is closed with a CLOSE op. The registration is dropped after the last
 * completion, and {@link AbstractProactorUnsafe#unregistered()} frees what is left.
 */
public abstract class AbstractProactorChannel extends AbstractChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractProactorChannel.class);

    private static final int OPEN = 0;
    /** close() was called; waiting for the completions of cancelled ops. */
    private static final int CLOSE_PENDING = 1;
    /** Netty's close has run (or is running). */
    private static final int CLOSED = 2;

    final Socket socket;
    volatile boolean active;
    private volatile SocketAddress local;
    volatile SocketAddress remote;

    /** The event loop's view of the registration; cancel through it so the loop counts registrations right. */
    private IoRegistration registration;
    private ProactorIoRegistration ioRegistration;

    /** The CLOSE op, created at close: an open connection does not carry it. */
    private ProactorIoOps closeOps;

    private int closeState = OPEN;
    private ChannelPromise pendingClosePromise;
    private Throwable pendingCloseCause;
    private ClosedChannelException pendingCloseClosedCause;

    AbstractProactorChannel(Channel parent, Socket socket, boolean active) {
        super(parent);
        if (socket == null) {
            throw new NullPointerException("socket");
        }
        this.socket = socket;
        if (active) {
            this.active = true;
            try {
                this.local = socket.localAddress();
                this.remote = socket.remoteAddress();
            } catch (IOException e) {
                logger.debug("cannot read the addresses of {}", socket, e);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /** The driver behind this channel's event loop, or null before registration. */
    public final DriverKind driverKind() {
        ProactorIoRegistration r = ioRegistration;
        return r == null ? null : r.driverKind();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(AbstractProactorUnsafe.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    final void cacheLocalAddress() {
        try {
            local = socket.localAddress();
        } catch (IOException e) {
            logger.debug("getsockname failed for {}", socket, e);
        }
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((AbstractProactorUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                ioRegistration = registration.attachment();
                registered(ioRegistration);
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    /** Called on the event loop once registered with {@code registration}. */
    void registered(ProactorIoRegistration registration) {
    }

    @Override
    protected void doDeregister() {
        ((AbstractProactorUnsafe) unsafe()).cancelOps();
        IoRegistration r = registration;
        registration = null;
        if (r != null) {
            // The handler drops the registration only after the last completion of every op still in flight.
            r.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        checkResolvable(localAddress);
        socket.bind(localAddress);
        cacheLocalAddress();
    }

    static void checkResolvable(SocketAddress address) {
        if (address instanceof InetSocketAddress && ((InetSocketAddress) address).isUnresolved()) {
            throw new UnresolvedAddressException();
        }
    }

    /** TCP cannot disconnect: close, the safe way (ops in flight are cancelled and awaited first). */
    @Override
    protected void doDisconnect() {
        unsafe().close(unsafe().voidPromise());
    }

    @Override
    protected void doClose() throws Exception {
        active = false;
        ProactorIoRegistration r = ioRegistration;
        if (r != null && r.isValid() && eventLoop().inEventLoop()) {
            int fd = socket.detach();
            if (fd >= 0) {
                if (closeOps == null) {
                    closeOps = new ProactorIoOps(new Op());
                }
                closeOps.op().prepareClose(fd);
                if (r.submit(closeOps) == 0) {
                    closeSynchronously(fd);
                }
            }
        } else {
            socket.close();
        }
    }

    private static void closeSynchronously(int fd) {
        try {
            Socket.adopt(fd, 0, 0).close();
        } catch (IOException e) {
            logger.debug("close({}) failed", fd, e);
        }
    }

    /** Submits {@code ops} if the channel is registered; false if it is not. Event loop only. */
    final boolean submit(ProactorIoOps ops) {
        ProactorIoRegistration r = ioRegistration;
        return r != null && r.isValid() && r.submit(ops) != 0;
    }

    /**
     * Cancels {@code ops} if it is in flight (null: an op not created yet); its completion still arrives. Every driver attempts an op before a
     * cancel that follows it (as io_uring issues an SQE before the cancel behind it), so a send cancelled at close
     * still writes what the socket can take at once, as a synchronous write before close would have.
     */
    final void cancel(ProactorIoOps ops) {
        ProactorIoRegistration r = ioRegistration;
        if (r != null && ProactorIoOps.isInFlight(ops)) {
            r.cancel(ops);
        }
    }

    /** True from close() on: no new ops may be submitted. */
    final boolean isClosing() {
        return closeState != OPEN;
    }

    /** Runs {@code task} on the event loop, now if already there. */
    final void runOnLoop(Runnable task) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** The Unsafe of every Proactor channel, and the handle its completions are delivered to. */
    public abstract class AbstractProactorUnsafe extends AbstractUnsafe implements ProactorIoHandle {

        /** Handles the completion of an op of the subclass (not the close op). */
        abstract void complete(Op op, int result, int flags);

        /** Whether an op that may use the channel's memory or descriptor is in flight (the close op excluded). */
        abstract boolean hasOpsInFlight();

        /** Requests cancellation of every op in flight. */
        abstract void cancelOps();

        /** Called when close() starts, before ops are cancelled: fail a pending connect, and such. */
        void closeStarted() {
        }

        /** Releases what completions would have released, once the driver guarantees none will come. */
        void releaseAfterDriverClose() {
        }

        @Override
        public final void handle(IoRegistration registration, IoEvent event) {
            ProactorIoEvent e = (ProactorIoEvent) event;
            Op op = e.op();
            if (ProactorIoOps.owns(closeOps, op)) {
                if (e.result() < 0) {
                    logger.debug("close of {} failed: {}", AbstractProactorChannel.this, Errno.name(e.result()));
                }
                return;
            }
            try {
                complete(op, e.result(), e.flags());
            } finally {
                if (closeState == CLOSE_PENDING && !hasOpsInFlight()) {
                    finishClose();
                }
            }
        }

        @Override
        protected void close(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause) {
            if (closeState == CLOSE_PENDING) {
                if (!promise.isVoid()) {
                    pendingClosePromise.addListener(new PromiseNotifier<>(false, promise));
                }
                return;
            }
            if (closeState == CLOSED) {
                super.close(promise, cause, closeCause);
                return;
            }
            if (!promise.setUncancellable()) {
                return;
            }
            closeState = CLOSE_PENDING;
            closeStarted();
            cancelOps();
            if (hasOpsInFlight()) {
                pendingClosePromise = promise.isVoid() ? newPromise() : promise;
                pendingCloseCause = cause;
                pendingCloseClosedCause = closeCause;
                return;
            }
            closeState = CLOSED;
            super.close(promise, cause, closeCause);
        }

        private void finishClose() {
            ChannelPromise p = pendingClosePromise;
            Throwable cause = pendingCloseCause;
            ClosedChannelException closeCause = pendingCloseClosedCause;
            pendingClosePromise = null;
            pendingCloseCause = null;
            pendingCloseClosedCause = null;
            closeState = CLOSED;
            super.close(p, cause, closeCause);
        }

        /** Called by the handler on shutdown of the event loop. */
        @Override
        public final void close() {
            close(voidPromise());
        }

        @Override
        public void unregistered() {
            registration = null;
            ioRegistration = null;
            // No op of this channel is in flight any more (the driver guarantees it): memory may be released.
            releaseAfterDriverClose();
            if (closeState == CLOSE_PENDING) {
                // Only at driver close: the cancelled ops' completions were never delivered.
                finishClose();
            }
        }

        @Override
        public String toString() {
            return "Unsafe[" + AbstractProactorChannel.this + "]";
        }
    }
}
