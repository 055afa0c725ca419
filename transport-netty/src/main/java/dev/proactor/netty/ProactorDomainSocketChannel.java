package dev.proactor.netty;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import dev.proactor.runtime.net.UnixCredentials;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.unix.ServerDomainSocketChannel;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.SocketAddress;

/**
 * A Unix domain stream socket on the Proactor transport, a drop-in for {@code EpollDomainSocketChannel}: Netty's
 * {@link DomainSocketChannel} with {@link DomainSocketAddress}es (a leading NUL names the abstract namespace).
 * Netty's unix-common interfaces and types are used without its native library.
 *
 * <p>Bytes go through the stream code shared with TCP ({@link AbstractProactorStreamChannel}), FileRegions
 * included. {@link FileDescriptor} messages are sent as one byte with an SCM_RIGHTS control message (SENDMSG);
 * with {@link DomainSocketReadMode#FILE_DESCRIPTORS} the channel reads with RECVMSG and fires a
 * {@link NativeFileDescriptor} per descriptor received (made close-on-exec; the handler owns and closes it).
 */
public final class ProactorDomainSocketChannel extends AbstractProactorStreamChannel implements DomainSocketChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    /** Descriptors one receive can take: the kernel closes any beyond (and sets MSG_CTRUNC). */
    private static final int MAX_FDS_PER_MESSAGE = 16;
    private static final int FD_CONTROL = MsgOp.controlSpace(4 * MAX_FDS_PER_MESSAGE);
    private static final Constructor<PeerCredentials> PEER_CREDENTIALS = peerCredentialsConstructor();

    private final ProactorDomainSocketChannelConfig config;
    private final ChannelFileDescriptor fd;

    // descriptor passing (event loop only)
    private MsgOp fdReceive;
    private MsgOp fdSend;
    /** One byte for each: the data an SCM_RIGHTS message rides on. */
    private NativeBuffer fdBytes;
    private boolean fdReadPending;
    private boolean inFdReadComplete;

    public ProactorDomainSocketChannel() {
        this(null, newSocket(), false);
    }

    /** An accepted connection. */
    ProactorDomainSocketChannel(ProactorServerDomainSocketChannel parent, Socket socket) {
        this(parent, socket, true);
    }

    private ProactorDomainSocketChannel(ProactorServerDomainSocketChannel parent, Socket socket, boolean active) {
        super(parent, socket, active);
        config = new ProactorDomainSocketChannelConfig(this);
        fd = new ChannelFileDescriptor(this, socket.fd());
    }

    static Socket newSocket() {
        try {
            return Socket.unixStream();
        } catch (IOException e) {
            throw new io.netty.channel.ChannelException("failed to open a Unix domain socket: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Constructor<PeerCredentials> peerCredentialsConstructor() {
        try {
            Constructor<PeerCredentials> c = PeerCredentials.class.getDeclaredConstructor(int.class, int.class, int[].class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public ProactorDomainSocketChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public ServerDomainSocketChannel parent() {
        return (ServerDomainSocketChannel) super.parent();
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
        return (DomainSocketAddress) super.remoteAddress();
    }

    // A connected end without a name (a client that did not bind, or the accepted peer of one) is reported as the
    // empty DomainSocketAddress, as epoll does, not as null: null means "not bound / not connected".
    @Override
    protected SocketAddress localAddress0() {
        return unnamedIfActive(DomainSocketAddresses.toNetty(super.localAddress0()));
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return unnamedIfActive(DomainSocketAddresses.toNetty(super.remoteAddress0()));
    }

    private DomainSocketAddress unnamedIfActive(DomainSocketAddress address) {
        return address == null && isActive() ? DomainSocketAddresses.UNNAMED : address;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(DomainSocketAddresses.toNative(localAddress));
    }

    @Override
    SocketAddress nativeAddress(SocketAddress address) {
        return DomainSocketAddresses.toNative(address);
    }

    @Override
    SocketAddress remoteAfterConnect(SocketAddress requestedRemoteAddress) {
        return requestedRemoteAddress; // the name the user connected to, as epoll reports it
    }

    /**
     * The peer's process, user and group at the time it connected (SO_PEERCRED). Needs Netty's
     * {@link PeerCredentials} constructor, reached by reflection (it is package-private).
     */
    public PeerCredentials peerCredentials() throws IOException {
        UnixCredentials c = UnixCredentials.of(socket);
        if (PEER_CREDENTIALS == null) {
            throw new IOException("io.netty.channel.unix.PeerCredentials cannot be constructed here; got " + c);
        }
        try {
            return PEER_CREDENTIALS.newInstance(c.pid(), c.uid(), new int[] {c.gid()});
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot construct PeerCredentials for " + c, e);
        }
    }

    @Override
    protected AbstractProactorUnsafe newUnsafe() {
        return new DomainUnsafe();
    }

    private NativeBuffer fdBytes() {
        if (fdBytes == null) {
            fdBytes = NativeBuffer.allocate(8);
        }
        return fdBytes;
    }

    // ---- sending descriptors ----

    @Override
    Object filterOtherMessage(Object msg) {
        if (msg instanceof FileDescriptor) {
            return msg;
        }
        return super.filterOtherMessage(msg);
    }

    @Override
    void writeOther(ChannelOutboundBuffer in, Object msg) throws Exception {
        if (!(msg instanceof FileDescriptor)) {
            super.writeOther(in, msg);
            return;
        }
        if (fdSend == null) {
            fdSend = new MsgOp(MsgOp.controlSpace(4));
        }
        MsgOp s = fdSend;
        s.prepareSend(fdBytes().address() + 1, 1, socket, null);
        s.addControlInts(SocketOptions.SOL_SOCKET, LinuxConstants.SCM_RIGHTS, ((FileDescriptor) msg).intValue());
        s.op.prepareSendmsg(socket.fd(), s.address(), LinuxConstants.MSG_NOSIGNAL);
        if (!submit(s.ops)) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    boolean isOtherWriteInFlight() {
        return fdSend != null && fdSend.op.isInFlight();
    }

    @Override
    void cancelOtherWrites() {
        if (isOtherWriteInFlight()) {
            cancel(fdSend.ops);
        }
    }

    private void fdSendComplete(int res) {
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (isClosing() || in == null) {
            return;
        }
        if (res > 0) {
            in.remove(); // the descriptor stays the sender's: it is not closed here (as with epoll)
        } else if (res != -Errno.ECANCELED && res != -Errno.EAGAIN) {
            ((DomainUnsafe) unsafe()).writeFailed(ErrnoException.of("sendmsg(SCM_RIGHTS)", res));
            return;
        }
        afterWriteCompletion();
    }

    // ---- receiving descriptors ----

    @Override
    protected void doBeginRead() {
        if (config.getReadMode() != DomainSocketReadMode.FILE_DESCRIPTORS) {
            super.doBeginRead();
            return;
        }
        fdReadPending = true;
        if (inFdReadComplete || isClosing() || !isActive() || (fdReceive != null && fdReceive.op.isInFlight())) {
            return;
        }
        submitFdReceive();
    }

    @Override
    void autoReadCleared() {
        super.autoReadCleared();
        if (!isRegistered()) {
            return;
        }
        runOnLoop(() -> {
            fdReadPending = false;
            if (fdReceive != null && fdReceive.op.isInFlight()) {
                cancel(fdReceive.ops);
            }
        });
    }

    @Override
    boolean readsBytes() {
        // Descriptors are read only when asked for: the peer's close is then seen by that receive, not watched for.
        return config.getReadMode() != DomainSocketReadMode.FILE_DESCRIPTORS;
    }

    private void submitFdReceive() {
        if (fdReceive == null) {
            fdReceive = new MsgOp(FD_CONTROL);
        }
        unsafe().recvBufAllocHandle().reset(config);
        MsgOp r = fdReceive;
        r.prepareReceive(fdBytes().address(), 1, false, FD_CONTROL);
        r.op.prepareRecvmsg(socket.fd(), r.address(), LinuxConstants.MSG_CMSG_CLOEXEC);
        submit(r.ops);
    }

    private void fdReceiveComplete(int res) {
        MsgOp r = fdReceive;
        if (isClosing() || !isOpen()) {
            closeReceivedDescriptors(r, res);
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        ChannelPipeline pipeline = pipeline();
        inFdReadComplete = true;
        try {
            if (res > 0) {
                fdReadPending = false;
                for (int off = r.nextControl(-1, SocketOptions.SOL_SOCKET, LinuxConstants.SCM_RIGHTS); off >= 0;
                        off = r.nextControl(off, SocketOptions.SOL_SOCKET, LinuxConstants.SCM_RIGHTS)) {
                    int n = r.controlDataLength(off) / 4;
                    for (int i = 0; i < n; i++) {
                        handle.incMessagesRead(1);
                        pipeline.fireChannelRead(new NativeFileDescriptor(r.controlInt(off, i)));
                    }
                }
                handle.readComplete();
                pipeline.fireChannelReadComplete();
                if ((r.messageFlags() & LinuxConstants.MSG_CTRUNC) != 0) {
                    pipeline.fireExceptionCaught(new IOException("more than " + MAX_FDS_PER_MESSAGE
                            + " descriptors in one message: the kernel closed the rest (MSG_CTRUNC)"));
                }
            } else if (res == 0) {
                // End of stream: as epoll, the channel closes.
                handle.readComplete();
                pipeline.fireChannelReadComplete();
                unsafe().close(unsafe().voidPromise());
                return;
            } else if (res != -Errno.ECANCELED) {
                handle.readComplete();
                pipeline.fireChannelReadComplete();
                pipeline.fireExceptionCaught(ErrnoException.of("recvmsg(SCM_RIGHTS)", res));
                unsafe().close(unsafe().voidPromise());
                return;
            }
        } finally {
            inFdReadComplete = false;
        }
        if (fdReadPending && isActive() && !isClosing() && !r.op.isInFlight()) {
            if (config.getReadMode() == DomainSocketReadMode.FILE_DESCRIPTORS) {
                submitFdReceive();
            } else {
                fdReadPending = false;
                super.doBeginRead();
            }
        }
    }

    /** Descriptors that arrived while closing belong to nobody: close them. */
    private static void closeReceivedDescriptors(MsgOp r, int res) {
        if (res <= 0) {
            return;
        }
        for (int off = r.nextControl(-1, SocketOptions.SOL_SOCKET, LinuxConstants.SCM_RIGHTS); off >= 0;
                off = r.nextControl(off, SocketOptions.SOL_SOCKET, LinuxConstants.SCM_RIGHTS)) {
            for (int i = 0; i < r.controlDataLength(off) / 4; i++) {
                try {
                    new NativeFileDescriptor(r.controlInt(off, i)).close();
                } catch (IOException ignore) {
                    // already gone
                }
            }
        }
    }

    private final class DomainUnsafe extends StreamUnsafe {
        @Override
        void complete(Op op, int result, int flags) {
            if (fdReceive != null && op == fdReceive.op) {
                fdReceiveComplete(result);
            } else if (fdSend != null && op == fdSend.op) {
                fdSendComplete(result);
            } else {
                super.complete(op, result, flags);
            }
        }

        @Override
        boolean hasOpsInFlight() {
            return super.hasOpsInFlight() || fdReceive != null && fdReceive.op.isInFlight();
        }

        @Override
        void cancelOps() {
            super.cancelOps();
            if (fdReceive != null && fdReceive.op.isInFlight()) {
                cancel(fdReceive.ops);
            }
        }
    }
}
