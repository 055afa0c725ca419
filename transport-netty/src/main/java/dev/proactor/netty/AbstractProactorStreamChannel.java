package dev.proactor.netty;

import java.nio.channels.NotYetConnectedException;

import dev.proactor.runtime.DriverKind;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.OpCode;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.StringUtil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connected stream socket (TCP, or a Unix domain stream socket) on the Proactor transport.
 *
 * <p>One read op, one write op and one connect op, each reused for the life of the channel. The ByteBuf a
 * receive writes into is held by the channel until that receive completes; the ByteBufs being sent stay in the
 * {@link ChannelOutboundBuffer} (and so stay referenced) until the send completes, and only then are they
 * removed by the number of bytes the kernel reports. Only one send is in flight at a time.
 */
public abstract class AbstractProactorStreamChannel extends AbstractProactorChannel implements DuplexChannel {
    private static final int IOVEC_SIZE = 16;
    private static final int MIN_IOVECS = 8;
    /** Linux's IOV_MAX. */
    private static final int MAX_IOVECS = 1024;
    /** A send's result is an int: never ask for more. */
    private static final long MAX_BYTES_PER_WRITE = Integer.MAX_VALUE;
    private static final int SEND_FLAGS = LinuxConstants.MSG_NOSIGNAL;
    private static final int ECANCELED = -Errno.ECANCELED;
    private static final int EAGAIN = -Errno.EAGAIN;
    /** Below Netty's initial receive guess (2048): a fresh or idle connection waits without a buffer. */
    private static final int SMALL_RECEIVE = 1024;

    private final Op readOp = new Op();
    private final ProactorIoOps readOps = new ProactorIoOps(readOp);
    // Created when first needed, so that an idle accepted connection carries none (memory per connection).
    private ProactorIoOps writeOps;
    private ProactorIoOps connectOps;
    private PeerCloseWatch peerClose;

    /** The buffer the receive in flight writes into; owned by the channel until that receive completes. */
    private ByteBuf readBuffer;
    /** iovecs of the gathering send in flight; grown on demand, up to {@link #MAX_IOVECS}. */
    private NativeBuffer iovecs;
    /** The peer address the connect in flight reads. */
    private NativeBuffer sockaddr;
    private IovecCollector iovecCollector;

    /** The event loop's provided receive buffers (multishot receives), or null: one RECV per read. */
    private BufferRing recvRing;
    /**
     * With a ring: the data comes in bulk (a completion filled a ring buffer and more was waiting), so reads go
     * into the channel's own buffers of Netty's guessed size, one RECV each, until that guess is back down to a
     * ring buffer's size. Copying out of fixed-size ring buffers cut a 64 KiB message into 16 reads and copies.
     */
    private boolean bulkReads;
    /** io_uring says whether more data waits (SOCK_NONEMPTY); the other drivers cannot. */
    private boolean reportsSockNonempty;
    /**
     * io_uring and the poll driver: a read whose socket is known to be empty first waits for readability without a
     * buffer (as epoll does), so an idle connection holds no receive buffer and the buffer is taken only when data
     * is there (a connection per buffer otherwise: with Netty's adaptive guess up to 64 KiB each). Only when the
     * buffer would be larger than {@link #SMALL_RECEIVE}: a connection whose messages are small keeps its small
     * buffer waiting, which saves the readability poll's completion on every message. IOCP's overlapped receive
     * has no such readiness wait: there the buffer waits.
     */
    private boolean waitsReadableFirst;
    /** {@link #readHandle()} was asked for. */
    private boolean readHandleCreated;
    private boolean readPending;
    private boolean inReadComplete;
    private boolean readLoopHasData;
    /** The last receive left nothing to read (short, EAGAIN, or no SOCK_NONEMPTY): the next one may poll first. */
    private boolean lastReceiveDrained;
    private boolean eof;
    private boolean inputClosedSeenErrorOnRead;
    /** The peer closed while the channel was not reading: read to the end of the input whatever AUTO_READ says. */
    private boolean drainingAfterPeerClose;
    /**
     * Data the armed multishot receive took after AUTO_READ was turned off and before its cancel landed: kept, in
     * order, for the next read(), as a transport that reads on demand would have left it in the socket.
     */
    private ArrayDeque<ByteBuf> heldReads;
    private boolean inWriteComplete;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private ChannelPromise pendingShutdownOutput;

    private ChannelPromise connectPromise;
    private ScheduledFuture<?> connectTimeoutFuture;
    private SocketAddress requestedRemoteAddress;

    /** Sends FileRegions; created with the first one. */
    private FileRegionWriter fileRegions;
    /** Bytes the kernel took from SEND/SENDV ops of ByteBufs (tests tell copies from splices with it). */
    long sentBytes;

    AbstractProactorStreamChannel(Channel parent, Socket socket, boolean active) {
        super(parent, socket, active);
    }

    @Override
    public abstract DuplexChannelConfig config();

    @Override
    void registered(ProactorIoRegistration registration) {
        super.registered(registration);
        recvRing = registration.recvBufferRing();
        DriverKind driver = registration.driverKind();
        reportsSockNonempty = driver == DriverKind.IO_URING;
        waitsReadableFirst = driver == DriverKind.IO_URING || driver == DriverKind.POLL;
        // Only a hint: the first read of a connection then waits for data without a buffer (an idle one holds none).
        lastReceiveDrained = true;
        if (active) {
            // Accepted: runs after channelActive and the read AUTO_READ starts, so it arms only if nothing reads.
            eventLoop().execute(this::watchPeerClose);
        }
    }

    // ---- shutdown -------------------------------------------------------------------------------------------

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || !isActive();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || !isActive();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown || !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        runOnLoop(() -> {
            try {
                requireConnected();
                socket.shutdown(LinuxConstants.SHUT_RD);
                inputShutdown = true;
                promise.setSuccess();
            } catch (Throwable t) {
                promise.setFailure(t);
            }
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        runOnLoop(() -> shutdownOutputOnLoop(promise));
        return promise;
    }

    private void shutdownOutputOnLoop(ChannelPromise promise) {
        if (isAnyWriteInFlight() || inWriteComplete) {
            // The ByteBufs of the send in flight must stay alive until it completes: Netty's shutdownOutput
            // releases the outbound buffer, so it runs after the (cancelled) send's completion. Likewise when a
            // write listener asks while that completion is still removing what the send wrote.
            if (pendingShutdownOutput != null) {
                pendingShutdownOutput.addListener(new PromiseNotifier<>(false, promise));
            } else {
                pendingShutdownOutput = promise;
                cancelWrites();
            }
            return;
        }
        ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
    }

    @Override
    protected void doClose() throws Exception {
        try {
            super.doClose();
        } finally {
            releaseHeldReads();
            FileRegionWriter w = fileRegions;
            if (w != null) {
                // No op is in flight any more (close waited for them): the region's file and the pipe may go.
                w.finishRegion();
                w.closePipe();
            }
        }
    }

    @Override
    protected void doShutdownOutput() throws Exception {
        requireConnected();
        socket.shutdown(LinuxConstants.SHUT_WR);
        outputShutdown = true;
    }

    // shutdown(2) of an unconnected socket fails with ENOTCONN, which Socket.shutdown ignores (a reset peer
    // causes it too); before connect, NIO and epoll fail the shutdown, so this does.
    private void requireConnected() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        if (!isActive()) {
            throw new NotYetConnectedException();
        }
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelFuture output = shutdownOutput();
        output.addListener((ChannelFutureListener) f -> {
            ChannelFuture input = shutdownInput();
            input.addListener((ChannelFutureListener) g -> {
                Throwable cause = f.cause() != null ? f.cause() : g.cause();
                if (cause != null) {
                    promise.setFailure(cause);
                } else {
                    promise.setSuccess();
                }
            });
        });
        return promise;
    }

    // ---- reading --------------------------------------------------------------------------------------------


    @Override
    protected void doBeginRead() {
        if (eof || inputClosedSeenErrorOnRead) {
            return;
        }
        readPending = true;
        if (!inReadComplete) {
            deliverHeldReadsWhilePending();
        }
        if (!readPending || hasHeldReads() || !active || readOp.isInFlight() || inReadComplete || isClosing()) {
            // Starts when connected, when the receive in flight completes, or after channelReadComplete.
            return;
        }
        startReadLoop();
    }

    void autoReadCleared() {
        if (!isRegistered()) {
            return;
        }
        runOnLoop(() -> {
            if (config().isAutoRead()) {
                // Turned on again (from the event loop) before this task ran: the read it asked for stands.
                return;
            }
            readPending = false;
            if (!drainingAfterPeerClose) {
                // Stop waiting for data nobody asked for; if data came first, the completion still delivers it.
                cancel(readOps);
            }
        });
    }

    private void startReadLoop() {
        if (readHandleCreated) {
            unsafe().recvBufAllocHandle().reset(config());
        }
        readLoopHasData = false;
        BufferRing ring = recvRing;
        if (ring != null && config().isAutoRead() && !ring.isClosed() && !drainingAfterPeerClose && !bulkReads
                && readSizesAreGuesses()) {
            // One armed receive serves every read until it ends (EOF, error, cancel, ENOBUFS).
            readOp.prepareRecvMultishot(socket.fd(), ring.groupId(), 0);
            submit(readOps);
            return;
        }
        // After the peer's close a receive never waits; MSG_DONTWAIT only guards a poll that fired for POLLERR alone.
        submitReceive(drainingAfterPeerClose ? LinuxConstants.MSG_DONTWAIT : 0);
    }

    /**
     * Whether the channel's RecvByteBufAllocator is Netty's default adaptive one, whose sizes are guesses: the ring's
     * buffer size may replace them. Any other allocator (a fixed size, a custom one) says how much each read takes,
     * so its reads are single receives of that size.
     */
    private boolean readSizesAreGuesses() {
        return config().getRecvByteBufAllocator().getClass() == AdaptiveRecvByteBufAllocator.class;
    }

    /**
     * Netty's receive allocator handle, created (and reset for the read loop under way) when a read loop first
     * needs it: a connection that never received anything waits for its first data without it, as an idle epoll
     * channel has none (about 100 bytes per idle connection).
     */
    private RecvByteBufAllocator.Handle readHandle() {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        if (!readHandleCreated) {
            readHandleCreated = true;
            handle.reset(config());
        }
        return handle;
    }

    /**
     * @param msgFlags 0 for the first receive of a read loop (waits for data); MSG_DONTWAIT for the next ones,
     *                 which are only made when data is known to be waiting (-EAGAIN then ends the loop)
     */
    private void submitReceive(int msgFlags) {
        if (msgFlags == 0 && waitsReadableFirst && (!readHandleCreated || readHandle().guess() > SMALL_RECEIVE)) {
            if (lastReceiveDrained) {
                // POLLIN also reports the peer's close and errors: the receive that follows reads them.
                readOp.preparePoll(socket.fd(), LinuxConstants.POLLIN).pollFirst();
                submit(readOps);
                return;
            }
            msgFlags = LinuxConstants.MSG_DONTWAIT; // data is expected; if not, readEnded waits for readability
        }
        ByteBufAllocator alloc = config().getAllocator();
        ByteBuf buf = readHandle().allocate(alloc);
        if (!DirectBuffers.hasAddress(buf)) {
            int capacity = Math.max(buf.writableBytes(), 1);
            buf.release();
            buf = alloc.directBuffer(capacity);
        }
        readOp.prepareRecv(socket.fd(), DirectBuffers.address(buf, buf.writerIndex()), buf.writableBytes(), msgFlags);
        if (msgFlags == 0 && lastReceiveDrained) {
            // Saves the receive that would fail with EAGAIN (poll driver) or the kernel's first try (io_uring).
            readOp.pollFirst();
        }
        readBuffer = buf;
        if (!submit(readOps)) {
            readBuffer = null;
            buf.release();
        }
    }

    private void readComplete(int res, int flags) {
        if (readOp.code() == OpCode.RECV_PROVIDED) {
            providedReadComplete(res, flags);
            return;
        }
        ByteBuf buf = readBuffer;
        readBuffer = null;
        if (isClosing() || !isOpen()) {
            // Closing: the data (if any) is dropped, as a synchronous close would have dropped it.
            ReferenceCountUtil.safeRelease(buf);
            return;
        }
        // read() from a handler while this runs only marks the read pending; the next loop starts below.
        inReadComplete = true;
        try {
            if (readOp.code() == OpCode.POLL) {
                readableComplete(res);
            } else {
                readComplete0(buf, res, flags);
            }
        } finally {
            inReadComplete = false;
        }
        if (readPending && active && !eof && !isClosing() && !readOp.isInFlight()) {
            startReadLoop();
        }
        watchPeerClose();
    }

    private void readComplete0(ByteBuf buf, int res, int flags) {
        RecvByteBufAllocator.Handle handle = readHandle();
        ChannelPipeline pipeline = pipeline();
        if (res > 0) {
            handle.attemptedBytesRead(buf.writableBytes());
            buf.writerIndex(buf.writerIndex() + res);
            handle.lastBytesRead(res);
            handle.incMessagesRead(1);
            readPending = false;
            readLoopHasData = true;
            pipeline.fireChannelRead(buf);
            // Read on in this loop only when more data may be waiting: io_uring says so (SOCK_NONEMPTY); the poll
            // driver cannot, so a filled buffer counts, as in NIO (the MSG_DONTWAIT receive then ends the loop
            // with EAGAIN if it was wrong). A receive that waits would hold back the due channelReadComplete.
            boolean moreData = (flags & Completion.SOCK_NONEMPTY) != 0
                    || (!reportsSockNonempty && res == handle.attemptedBytesRead());
            lastReceiveDrained = !moreData;
            // Draining after the peer's close reads on to EOF whatever the allocator says, as epoll does after EPOLLRDHUP.
            if ((drainingAfterPeerClose || moreData && handle.continueReading()) && active && !isClosing() && !eof) {
                submitReceive(LinuxConstants.MSG_DONTWAIT);
            } else {
                endReadLoop(handle);
            }
            return;
        }
        buf.release();
        readEnded(handle, res);
    }

    /**
     * The readability poll of a read loop completed: receive now, unless the read was withdrawn meanwhile
     * (AUTO_READ turned off: the data stays in the socket, as with epoll) or the poll was cancelled or failed.
     */
    private void readableComplete(int res) {
        RecvByteBufAllocator.Handle handle = readHandle();
        if (res < 0) {
            readEnded(handle, res);
        } else if (readPending && active && !eof) {
            submitReceive(LinuxConstants.MSG_DONTWAIT);
        }
    }

    /** A receive's final completion without data: end of stream, EAGAIN, cancel or error. */
    private void readEnded(RecvByteBufAllocator.Handle handle, int res) {
        if (res == 0) {
            handle.lastBytesRead(-1);
            eof = true;
            endReadLoop(handle);
            shutdownInputAfterRead(true);
        } else if (res == EAGAIN) {
            lastReceiveDrained = true;
            boolean wasDraining = drainingAfterPeerClose;
            drainingAfterPeerClose = false;
            if (waitsReadableFirst && !readLoopHasData && !wasDraining && readPending && active && !isClosing()) {
                submitReceive(0); // nothing came after all: wait for readability, holding no buffer
                return;
            }
            handle.lastBytesRead(0);
            endReadLoop(handle);
        } else if (res == ECANCELED) {
            // Cancelled because AUTO_READ was turned off: end the loop if it delivered anything.
            if (readLoopHasData) {
                endReadLoop(handle);
            }
        } else {
            eof = true;
            endReadLoop(handle);
            pipeline().fireExceptionCaught(ErrnoException.of("recv", res));
            shutdownInputAfterRead(false);
        }
    }

    // ---- reading with provided buffers (io_uring multishot RECV) ------------------------------------------------

    /**
     * A completion of the multishot receive. A filled ring buffer is copied into a ByteBuf of the channel's
     * allocator and given back to the kernel at once, so no ByteBuf ever refers to ring memory.
     */
    private void providedReadComplete(int res, int flags) {
        boolean more = Completion.hasMore(flags);
        ByteBuf buf = null;
        if (Completion.hasBuffer(flags)) {
            int id = Completion.bufferId(flags);
            try {
                if (res > 0 && !isClosing() && isOpen()) {
                    buf = copyFromRing(recvRing, id, res);
                }
            } finally {
                recvRing.recycle(id);
            }
        }
        if (isClosing() || !isOpen()) {
            ReferenceCountUtil.safeRelease(buf);
            return;
        }
        boolean outOfBuffers = false;
        inReadComplete = true;
        try {
            RecvByteBufAllocator.Handle handle = readHandle();
            if (buf != null && (hasHeldReads() || !readPending && !config().isAutoRead()) && !drainingAfterPeerClose) {
                holdRead(buf);
                if (!more && readLoopHasData) {
                    // The receive ended on its own: channelReadComplete is still due for what was delivered (a
                    // handler may flush only then, and wait for writability before reading on).
                    endReadLoop(handle);
                    readLoopHasData = false;
                }
            } else if (buf != null) {
                handle.attemptedBytesRead(recvRing.bufferSize());
                handle.lastBytesRead(res);
                handle.incMessagesRead(1);
                readPending = false;
                readLoopHasData = true;
                lastReceiveDrained = (flags & Completion.SOCK_NONEMPTY) == 0;
                pipeline().fireChannelRead(buf);
                if (more && res == recvRing.bufferSize() && !lastReceiveDrained && !bulkReads
                        && handle.guess() > res && config().isAutoRead()) {
                    // Bulk data (and Netty's guess grew past a ring buffer): once the cancel lands (completions until
                    // then deliver as usual), the read loop goes on with receives into the channel's own buffers.
                    bulkReads = true;
                    cancel(readOps);
                }
                if (lastReceiveDrained || !more) {
                    endReadLoop(handle);
                    handle.reset(config());
                    readLoopHasData = false;
                }
            } else if (res == -Errno.ENOBUFS) {
                // Every ring buffer was taken in this batch; they come back as their completions are handled.
                if (readLoopHasData) {
                    endReadLoop(handle);
                }
                readPending = true;
                outOfBuffers = true;
                recvRingShortages++;
            } else if (!more) {
                if (res != ECANCELED && hasHeldReads()) {
                    // The end of the input (or an error) came behind held data: deliver it all first, as a peer's
                    // close makes every transport read to the end whatever AUTO_READ says.
                    fireHeldReads(handle, Integer.MAX_VALUE);
                }
                readEnded(handle, res);
            }
        } finally {
            inReadComplete = false;
        }
        deliverHeldReadsWhilePending();
        if (outOfBuffers) {
            if (!recvRing.isClosed()) {
                recvRing.whenAvailable(this::restartRead); // rare (the ring ran dry): allocating here is fine
            }
        } else if (!more && readPending && !hasHeldReads() && active && !eof && !isClosing() && !readOp.isInFlight()) {
            startReadLoop();
        }
        if (!more) {
            watchPeerClose();
        }
    }

    private void restartRead() {
        if (readPending && !hasHeldReads() && active && !eof && !isClosing() && isOpen() && !readOp.isInFlight()
                && !inReadComplete) {
            startReadLoop();
        }
    }

    private boolean hasHeldReads() {
        return heldReads != null && !heldReads.isEmpty();
    }

    private void holdRead(ByteBuf buf) {
        if (heldReads == null) {
            heldReads = new ArrayDeque<>(4);
        }
        heldReads.add(buf);
    }

    /** Each read() asked for (also from channelRead/channelReadComplete) takes held data before any new receive. */
    private void deliverHeldReadsWhilePending() {
        while (readPending && hasHeldReads() && isOpen() && !isClosing()) {
            deliverHeldReads();
        }
    }

    /** One read() with data held: one message while AUTO_READ is off (as a read on demand gives), all if on. */
    private void deliverHeldReads() {
        RecvByteBufAllocator.Handle handle = readHandle();
        handle.reset(config());
        inReadComplete = true;
        try {
            fireHeldReads(handle, config().isAutoRead() || drainingAfterPeerClose ? Integer.MAX_VALUE : 1);
            endReadLoop(handle);
        } finally {
            inReadComplete = false;
        }
    }

    private void fireHeldReads(RecvByteBufAllocator.Handle handle, int max) {
        for (int i = 0; i < max && hasHeldReads() && isOpen() && !isClosing(); i++) {
            ByteBuf buf = heldReads.poll();
            handle.lastBytesRead(buf.readableBytes());
            handle.incMessagesRead(1);
            readPending = false;
            pipeline().fireChannelRead(buf);
        }
    }

    private void releaseHeldReads() {
        ArrayDeque<ByteBuf> held = heldReads;
        if (held != null) {
            for (ByteBuf buf; (buf = held.poll()) != null; ) {
                buf.release();
            }
        }
    }

    private ByteBuf copyFromRing(BufferRing ring, int id, int length) {
        ByteBuf buf = config().getAllocator().directBuffer(length);
        if (!DirectBuffers.hasAddress(buf)) {
            buf.release();
            buf = config().getAllocator().buffer(length);
            buf.writeBytes(ring.memory().buffer().duplicate().position(id * ring.bufferSize()).limit(id * ring.bufferSize() + length));
            return buf;
        }
        PlatformDependent.copyMemory(ring.address(id), DirectBuffers.address(buf, buf.writerIndex()), length);
        buf.writerIndex(buf.writerIndex() + length);
        return buf;
    }

    /** Receive completions held for the next read() since AUTO_READ was turned off (tests). */
    int heldReadCount() {
        return heldReads == null ? 0 : heldReads.size();
    }

    /** Multishot receives that ended with ENOBUFS and waited for a ring buffer (tests). */
    long recvRingShortages;

    /** The provided receive buffers this channel's multishot receives use, or null. Tests. */
    BufferRing recvRing() {
        return recvRing;
    }

    private void endReadLoop(RecvByteBufAllocator.Handle handle) {
        handle.readComplete();
        if (bulkReads && handle.guess() <= recvRing.bufferSize()) {
            bulkReads = false; // the next read loop arms the multishot receive again
        }
        pipeline().fireChannelReadComplete();
    }

    /** Whether reads bypass the ring for bulk data (see {@link #bulkReads}). Tests; event loop only. */
    boolean isBulkReading() {
        return bulkReads;
    }

    /** Whether the multishot receive is armed (tests). Event loop only. */
    boolean isMultishotReceiveArmed() {
        return readOp.isInFlight() && readOp.code() == OpCode.RECV_PROVIDED;
    }

    /** Arms the POLLRDHUP poll if the channel is connected but no receive is in flight. Event loop only. */
    final void watchPeerClose() {
        if (readsBytes() && active && !eof && !inputClosedSeenErrorOnRead && !drainingAfterPeerClose && !isClosing()
                && isOpen() && !readOp.isInFlight() && PeerCloseWatch.supports(driverKind())) {
            if (peerClose == null) {
                peerClose = new PeerCloseWatch();
            }
            if (peerClose.prepare(socket.fd())) {
                submit(peerClose.ops);
            }
        }
    }

    /** Whether reads go through the byte read loop (a domain socket reading descriptors does not). */
    boolean readsBytes() {
        return true;
    }

    /** The POLLRDHUP poll completed: read what is left and the EOF now, whether a read was asked for or not. */
    private void peerCloseComplete(int res) {
        if (!peerClose.completed(res) || !readsBytes() || isClosing() || !isOpen() || !active || eof
                || inputClosedSeenErrorOnRead) {
            return;
        }
        if (inputShutdown && !config().isAllowHalfClosure()) {
            return; // our own shutdownInput() raised it; epoll does not read then either
        }
        drainingAfterPeerClose = true;
        if (hasHeldReads() && !inReadComplete) {
            deliverHeldReads();
        }
        if (!readOp.isInFlight() && !inReadComplete && !hasHeldReads()) {
            startReadLoop();
        }
    }

    /** EOF or a read error: half-close if allowed, else close. Mirrors the epoll transport. */
    private void shutdownInputAfterRead(boolean allDataRead) {
        if (!inputShutdown) {
            if (config().isAllowHalfClosure()) {
                try {
                    socket.shutdown(LinuxConstants.SHUT_RD);
                    inputShutdown = true;
                } catch (IOException e) {
                    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                    unsafe().close(unsafe().voidPromise());
                    return;
                }
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            } else {
                inputClosedSeenErrorOnRead = true;
                unsafe().close(unsafe().voidPromise());
                return;
            }
        }
        if (allDataRead && !inputClosedSeenErrorOnRead) {
            inputClosedSeenErrorOnRead = true;
            pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            if (DirectBuffers.hasAddress(buf)) {
                return buf;
            }
            // Heap or composite: copy to one direct buffer the kernel can read in place while the send is in flight.
            int readable = buf.readableBytes();
            ByteBuf direct = config().getAllocator().directBuffer(readable);
            try {
                direct.writeBytes(buf, buf.readerIndex(), readable);
            } catch (Throwable t) {
                direct.release();
                throw t;
            }
            ReferenceCountUtil.safeRelease(buf);
            return direct;
        }
        if (msg instanceof FileRegion) {
            return msg;
        }
        return filterOtherMessage(msg);
    }

    /** A message other than a ByteBuf or FileRegion: the subclass accepts it (returns it) or throws. */
    Object filterOtherMessage(Object msg) {
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: " + StringUtil.simpleClassName(ByteBuf.class) + ", "
                + StringUtil.simpleClassName(FileRegion.class) + ")");
    }

    /** Submits the write of a message accepted by {@link #filterOtherMessage}; its completion ends with {@link #afterWriteCompletion}. */
    void writeOther(ChannelOutboundBuffer in, Object msg) throws Exception {
        throw new UnsupportedOperationException(StringUtil.simpleClassName(msg));
    }

    /** Whether a write op of the subclass is in flight. */
    boolean isOtherWriteInFlight() {
        return false;
    }

    /** Cancels the subclass's write ops (once attempted). */
    void cancelOtherWrites() {
    }

    private boolean isAnyWriteInFlight() {
        return isWriteInFlight() || fileRegions != null && fileRegions.isInFlight() || isOtherWriteInFlight();
    }

    private void cancelWrites() {
        cancel(writeOps);
        if (fileRegions != null) {
            fileRegions.cancel();
        }
        cancelOtherWrites();
    }

    /** Called by flush0 only when no send is in flight (see {@link StreamUnsafe#flush0()}). */
    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        Object msg;
        for (;;) {
            msg = in.current();
            if (msg == null) {
                return;
            }
            if (msg instanceof FileRegion) {
                FileRegion region = (FileRegion) msg;
                if (region.count() == 0) {
                    in.remove();
                    continue;
                }
                if (writeFileRegion(in, region)) {
                    return;
                }
                continue; // it was complete already
            }
            if (!(msg instanceof ByteBuf)) {
                writeOther(in, msg);
                return;
            }
            if (((ByteBuf) msg).isReadable()) {
                break;
            }
            in.remove();
        }
        int fd = socket.fd();
        ProactorIoOps ops = writeOps;
        if (ops == null) {
            writeOps = ops = new ProactorIoOps(new Op());
        }
        if (in.size() > 1) {
            int count = collectIovecs(in);
            if (count > 1) {
                ops.op().prepareSendv(fd, iovecs.address(), count, SEND_FLAGS);
                submit(ops);
                return;
            }
        }
        ByteBuf buf = (ByteBuf) msg;
        ops.op().prepareSend(fd, DirectBuffers.address(buf, buf.readerIndex()), buf.readableBytes(), SEND_FLAGS);
        submit(ops);
    }

    /** Starts sending {@code region}; false if it was complete already (and is removed). */
    private boolean writeFileRegion(ChannelOutboundBuffer in, FileRegion region) throws IOException {
        if (fileRegions == null) {
            fileRegions = new FileRegionWriter(this);
        }
        try {
            return fileRegions.write(in, region);
        } catch (IOException | RuntimeException e) {
            fileRegions.failed();
            throw e;
        }
    }

    private void fileRegionComplete(Op op, int res) {
        if (isClosing()) {
            return; // the region fails with the outbound buffer; the pipe is closed with the channel
        }
        inWriteComplete = true;
        try {
            fileRegions.complete(op, res, unsafe().outboundBuffer());
        } catch (IOException | RuntimeException e) {
            fileRegions.failed();
            inWriteComplete = false;
            ((StreamUnsafe) unsafe()).writeFailed(e instanceof IOException ? (IOException) e : new IOException(e));
            return;
        } finally {
            inWriteComplete = false;
        }
        if (!isAnyWriteInFlight()) {
            afterWriteCompletion();
        }
    }

    /** FileRegion send counters of this channel: {splice ops, bytes spliced into the socket, bytes copied and sent}. */
    long[] fileRegionCounters() {
        FileRegionWriter w = fileRegions;
        return w == null ? new long[3] : new long[] {w.spliceOps, w.splicedBytes, w.copiedBytes};
    }

    private int collectIovecs(ChannelOutboundBuffer in) {
        int max = Math.min(MAX_IOVECS, Math.max(2, maxMessagesPerWrite()));
        int wanted = Math.min(in.size(), max);
        if (iovecs == null || iovecs.size() < wanted * IOVEC_SIZE) {
            // Never while a send is in flight: this runs only when none is.
            int n = Math.max(MIN_IOVECS, Integer.highestOneBit(wanted - 1) << 1);
            iovecs = NativeBuffer.allocate(Math.min(n, MAX_IOVECS) * IOVEC_SIZE);
        }
        IovecCollector c = iovecCollector;
        if (c == null) {
            iovecCollector = c = new IovecCollector();
        }
        c.start(iovecs.buffer(), Math.min(wanted, iovecs.size() / IOVEC_SIZE));
        try {
            in.forEachFlushedMessage(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return c.count;
    }

    /** Fills the iovec array from the flushed messages; reused, so a gathering send allocates nothing. */
    private static final class IovecCollector implements ChannelOutboundBuffer.MessageProcessor {
        private ByteBuffer iov;
        private int max;
        int count;
        private long bytes;

        void start(ByteBuffer iov, int max) {
            this.iov = iov;
            this.max = max;
            this.count = 0;
            this.bytes = 0;
        }

        @Override
        public boolean processMessage(Object msg) {
            if (!(msg instanceof ByteBuf)) {
                return false;
            }
            ByteBuf buf = (ByteBuf) msg;
            int n = buf.readableBytes();
            if (n == 0) {
                return true;
            }
            if (bytes + n > MAX_BYTES_PER_WRITE) {
                return false;
            }
            int off = count * IOVEC_SIZE;
            iov.putLong(off, DirectBuffers.address(buf, buf.readerIndex()));
            iov.putLong(off + 8, n);
            count++;
            bytes += n;
            return count < max;
        }
    }

    private void writeComplete(int res) {
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (res > 0 && in != null) {
            sentBytes += res;
            // The kernel is done with these bytes: only now may their ByteBufs be released.
            inWriteComplete = true;
            try {
                in.removeBytes(res);
            } finally {
                inWriteComplete = false;
            }
        } else if (res < 0 && res != ECANCELED && res != EAGAIN && !isClosing()) {
            ((StreamUnsafe) unsafe()).writeFailed(ErrnoException.of("send", res));
            return;
        }
        afterWriteCompletion();
    }

    /** After a write op's completion: a pending shutdownOutput runs now, else the next write starts. */
    final void afterWriteCompletion() {
        ChannelPromise shutdown = pendingShutdownOutput;
        if (shutdown != null) {
            if (isAnyWriteInFlight()) {
                return;
            }
            pendingShutdownOutput = null;
            ((AbstractUnsafe) unsafe()).shutdownOutput(shutdown);
            return;
        }
        if (!isClosing()) {
            ((StreamUnsafe) unsafe()).flush0();
        }
    }

    // ---- connecting -----------------------------------------------------------------------------------------

    private void connectComplete(int res) {
        ChannelPromise promise = connectPromise;
        connectPromise = null;
        cancelConnectTimeout();
        if (promise == null || res == ECANCELED) {
            // Timed out, cancelled or closed: the promise was failed already.
            return;
        }
        if (res < 0) {
            promise.tryFailure(((StreamUnsafe) unsafe()).annotate(ErrnoException.of("connect", res), requestedRemoteAddress));
            ((StreamUnsafe) unsafe()).closeIfClosed0();
            return;
        }
        boolean wasActive = active;
        active = true;
        cacheLocalAddress();
        remote = remoteAfterConnect(requestedRemoteAddress);
        boolean promiseSet = promise.trySuccess();
        if (!wasActive) {
            pipeline().fireChannelActive();
        }
        if (!promiseSet) {
            // The user cancelled the connect attempt.
            unsafe().close(unsafe().voidPromise());
        } else if (readPending && !readOp.isInFlight() && !isClosing()) {
            startReadLoop();
        }
        watchPeerClose();
    }

    /** The peer's address once connected to {@code requestedRemoteAddress}, keeping the host name the user gave. */
    SocketAddress remoteAfterConnect(SocketAddress requestedRemoteAddress) {
        InetSocketAddress actual;
        try {
            actual = (InetSocketAddress) socket.remoteAddress();
        } catch (IOException e) {
            return requestedRemoteAddress;
        }
        if (actual == null) {
            return requestedRemoteAddress;
        }
        if (requestedRemoteAddress instanceof InetSocketAddress) {
            InetSocketAddress req = (InetSocketAddress) requestedRemoteAddress;
            try {
                return new InetSocketAddress(InetAddress.getByAddress(req.getHostString(), actual.getAddress().getAddress()),
                        actual.getPort());
            } catch (IOException ignore) {
                // fall through
            }
        }
        return actual;
    }

    /** The address the runtime understands for one the user gave (a DomainSocketAddress becomes a UnixDomainSocketAddress). */
    SocketAddress nativeAddress(SocketAddress address) {
        return address;
    }

    private void connectTimedOut() {
        ChannelPromise promise = connectPromise;
        if (promise != null && !promise.isDone()
                && promise.tryFailure(new ConnectTimeoutException("connection timed out after "
                + config().getConnectTimeoutMillis() + " ms: " + requestedRemoteAddress))) {
            unsafe().close(unsafe().voidPromise());
        }
    }

    private void cancelConnectTimeout() {
        ScheduledFuture<?> f = connectTimeoutFuture;
        if (f != null) {
            connectTimeoutFuture = null;
            f.cancel(false);
        }
    }

    /** The capacity of the receive buffer handed to the kernel or driver right now, 0 if none. Tests; event loop only. */
    int heldReceiveBufferCapacity() {
        return readBuffer == null ? 0 : readBuffer.capacity();
    }

    /** Whether the POLLRDHUP poll is armed (tests). Event loop only. */
    boolean isPeerCloseWatched() {
        return peerClose != null && peerClose.isInFlight();
    }

    /**
     * Whether a read is in flight (a receive, which may be writing the read buffer, or the readability poll that
     * comes before one). Event loop only.
     */
    boolean isReadInFlight() {
        return readOp.isInFlight();
    }

    /** Whether a send is in flight (the kernel may be reading the outbound ByteBufs). Event loop only. */
    boolean isWriteInFlight() {
        return ProactorIoOps.isInFlight(writeOps);
    }

    /** Whether an op of a FileRegion (splice, TransmitFile, poll or copy send) is in flight. Event loop only. */
    boolean isFileRegionInFlight() {
        return fileRegions != null && fileRegions.isInFlight();
    }

    class StreamUnsafe extends AbstractProactorUnsafe {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            // The promise stays cancellable, as with NIO and epoll: cancelling it closes the channel.
            if (promise.isDone() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (isClosing()) {
                    throw new ClosedChannelException();
                }
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                if (active || remote != null) {
                    throw new AlreadyConnectedException();
                }
                checkResolvable(remoteAddress);
                checkResolvable(localAddress);
                if (localAddress != null) {
                    socket.bind(nativeAddress(localAddress));
                }
                if (sockaddr == null) {
                    sockaddr = NativeBuffer.allocate(SocketAddresses.STORAGE_SIZE);
                }
                int len = socket.encode(nativeAddress(remoteAddress), sockaddr.buffer(), 0);
                if (connectOps == null) {
                    connectOps = new ProactorIoOps(new Op());
                }
                connectOps.op().prepareConnect(socket.fd(), sockaddr.address(), len);
                if (!submit(connectOps)) {
                    throw new ClosedChannelException();
                }
            } catch (Throwable t) {
                promise.tryFailure(annotate(t, remoteAddress));
                closeIfClosed();
                return;
            }
            connectPromise = promise;
            promise.addListener((ChannelFutureListener) f -> {
                if (f.isCancelled() && connectPromise == f) {
                    connectPromise = null;
                    cancelConnectTimeout();
                    close(voidPromise());
                }
            });
            requestedRemoteAddress = remoteAddress;
            int timeoutMillis = config().getConnectTimeoutMillis();
            if (timeoutMillis > 0) {
                connectTimeoutFuture = eventLoop().schedule(AbstractProactorStreamChannel.this::connectTimedOut,
                        timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        Throwable annotate(Throwable t, SocketAddress remoteAddress) {
            return annotateConnectException(t, remoteAddress);
        }

        void closeIfClosed0() {
            closeIfClosed();
        }

        void writeFailed(IOException e) {
            handleWriteError(e);
        }

        @Override
        protected void flush0() {
            // One send at a time, and never while Netty is completing the last one (removeBytes may re-enter).
            if (isAnyWriteInFlight() || inWriteComplete || isClosing() || pendingShutdownOutput != null) {
                return;
            }
            super.flush0();
        }

        @Override
        void complete(Op op, int result, int flags) {
            if (op == readOp) {
                readComplete(result, flags);
            } else if (ProactorIoOps.owns(writeOps, op)) {
                writeComplete(result);
            } else if (ProactorIoOps.owns(connectOps, op)) {
                connectComplete(result);
            } else if (peerClose != null && peerClose.owns(op)) {
                peerCloseComplete(result);
            } else if (fileRegions != null && fileRegions.owns(op)) {
                fileRegionComplete(op, result);
            }
        }

        @Override
        boolean hasOpsInFlight() {
            // inWriteComplete: a write listener's close waits until the completion has removed all the send wrote.
            return readOp.isInFlight() || isAnyWriteInFlight() || ProactorIoOps.isInFlight(connectOps)
                    || isPeerCloseWatched() || inWriteComplete;
        }

        @Override
        void cancelOps() {
            cancel(readOps);
            if (peerClose != null) {
                cancel(peerClose.ops);
            }
            // What the socket can take at once is still sent, as with a synchronous write before close.
            cancelWrites();
            cancel(connectOps);
        }

        @Override
        void closeStarted() {
            ChannelPromise promise = connectPromise;
            if (promise != null) {
                connectPromise = null;
                promise.tryFailure(new ClosedChannelException());
            }
            cancelConnectTimeout();
        }

        @Override
        void releaseAfterDriverClose() {
            releaseHeldReads();
            ByteBuf buf = readBuffer;
            if (buf != null) {
                readBuffer = null;
                buf.release();
            }
            if (!isOpen()) {
                iovecs = null;
                sockaddr = null;
                if (fileRegions != null) {
                    fileRegions.finishRegion();
                    fileRegions.closePipe();
                }
            }
        }
    }
}
