package dev.proactor.netty;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.DatagramSockets;
import dev.proactor.runtime.net.Multicast;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;

/**
 * A UDP socket on the Proactor transport, a drop-in for {@code NioDatagramChannel} / {@code EpollDatagramChannel}.
 *
 * <p>Datagrams are received with RECVMSG and sent with SENDMSG ops; each op has its own msghdr, iovec, sockaddr
 * and control memory ({@link MsgOp}) and pins the ByteBuf it points into until its completion. A read loop starts
 * with one receive that waits for data, then reads on with rounds of MSG_DONTWAIT receives (1, 2, 4 ... at most
 * {@value #MAX_RECEIVES} at once, all submitted together) until the socket is empty or maxMessagesPerRead is
 * reached. Writes submit up to {@value #MAX_SENDS} datagrams at once; the outbound buffer is walked in order
 * once all of them have completed, so the ByteBufs stay referenced while the kernel may read them.
 *
 * <p>Semantics follow the epoll transport: a datagram longer than the buffer is delivered truncated (as recvmsg
 * leaves it, MSG_TRUNC), a failed send fails only its own write, ECONNREFUSED (Windows: WSAECONNRESET) on a
 * connected socket becomes a {@link PortUnreachableException}, and {@link #disconnect()} makes the channel
 * inactive. On Windows (IOCP) UDP GSO/GRO, SO_REUSEPORT and the other Linux-only options are refused with an
 * error that names the platform.
 */
public final class ProactorDatagramChannel extends AbstractProactorChannel implements DatagramChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProactorDatagramChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(DatagramPacket.class) + ", "
            + StringUtil.simpleClassName(AddressedEnvelope.class) + '<' + StringUtil.simpleClassName(ByteBuf.class) + ", "
            + StringUtil.simpleClassName(InetSocketAddress.class) + ">, " + StringUtil.simpleClassName(ByteBuf.class) + ')';
    static final int MAX_RECEIVES = 16;
    static final int MAX_SENDS = 16;
    /** Room for one UDP_GRO or UDP_SEGMENT control message. */
    private static final int CONTROL_SIZE = MsgOp.controlSpace(4);
    private static final int ECANCELED = -Errno.ECANCELED;
    private static final int EAGAIN = -Errno.EAGAIN;

    private final ProactorDatagramChannelConfig config;

    private final MsgOp[] receives = new MsgOp[MAX_RECEIVES];
    private final MsgOp[] sends = new MsgOp[MAX_SENDS];
    private final Op connectOp = new Op();
    private final ProactorIoOps connectOps = new ProactorIoOps(connectOp);
    private NativeBuffer connectAddress;
    private final SendCollector sendCollector = new SendCollector();

    private volatile boolean connected;

    // read loop state (event loop only)
    private boolean readPending;
    private boolean inReadCompletion;
    private int receivesInFlight;
    private int roundSize;
    private int roundData;
    private boolean roundEmpty;
    private boolean roundCancelled;
    private int loopMessages;
    private Throwable loopError;

    // write state (event loop only)
    private int sendsInFlight;
    private int sendCount;
    private boolean inWriteCompletion;

    private ChannelPromise connectPromise;
    private SocketAddress requestedRemoteAddress;

    /** A new socket: IPv6 dual-stack when the host has IPv6 and IPv4 is not preferred. */
    public ProactorDatagramChannel() {
        this((SocketProtocolFamily) null);
    }

    /** @deprecated use {@link #ProactorDatagramChannel(SocketProtocolFamily)} */
    @Deprecated
    public ProactorDatagramChannel(InternetProtocolFamily family) {
        this(family == null ? null : family.toSocketProtocolFamily());
    }

    public ProactorDatagramChannel(SocketProtocolFamily family) {
        super(null, newSocket(family), false);
        config = new ProactorDatagramChannelConfig(this);
    }

    private static Socket newSocket(SocketProtocolFamily family) {
        boolean ipv6;
        if (family == null) {
            ipv6 = Socket.isIpv6Supported() && !NetUtil.isIpV4StackPreferred();
        } else if (family == SocketProtocolFamily.INET) {
            ipv6 = false;
        } else if (family == SocketProtocolFamily.INET6) {
            ipv6 = true;
        } else {
            throw new UnsupportedOperationException("ProactorDatagramChannel is UDP over IPv4/IPv6; family " + family
                    + " is not supported");
        }
        try {
            return Socket.udp(ipv6);
        } catch (IOException e) {
            throw new ChannelException("failed to open a socket: " + e.getMessage(), e);
        }
    }

    /** Whether {@link SegmentedDatagramPacket}s (UDP GSO) can be written: the kernel has UDP_SEGMENT. */
    public static boolean isSegmentedDatagramPacketSupported() {
        return UdpSegmentSupport.SUPPORTED;
    }

    private static final class UdpSegmentSupport {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            try (Socket s = Socket.udp(false)) {
                s.getOption(SocketOptions.UDP_SEGMENT);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    @Override
    public ProactorDatagramChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isActive() {
        return isOpen() && (config.isActiveOnOpen() && isRegistered() || active);
    }

    @Override
    public boolean isConnected() {
        return connected;
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
        return new DatagramUnsafe();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(wildcardOfFamily(localAddress));
        active = true;
    }

    /** 0.0.0.0 on an IPv6 socket would bind IPv4 only (as ::ffff:0.0.0.0): bind :: instead, as epoll does. */
    private SocketAddress wildcardOfFamily(SocketAddress address) {
        if (socket.isIpv6() && address instanceof InetSocketAddress) {
            InetSocketAddress isa = (InetSocketAddress) address;
            if (!isa.isUnresolved() && isa.getAddress() instanceof Inet4Address && isa.getAddress().isAnyLocalAddress()) {
                return new InetSocketAddress(anyIpv6(), isa.getPort());
            }
        }
        return address;
    }

    private static InetAddress anyIpv6() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void doDisconnect() {
        try {
            DatagramSockets.disconnect(socket);
        } catch (IOException e) {
            PlatformDependent.throwException(e);
        }
        connected = false;
        active = false;
        remote = null;
        cacheLocalAddress();
    }

    // ---- multicast ------------------------------------------------------------------------------------------

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress) {
        return joinGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return joinGroup(multicastAddress, localInterface(), null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return joinGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                   ChannelPromise promise) {
        return joinGroup(multicastAddress.getAddress(), networkInterface, null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source) {
        return joinGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source,
                                   ChannelPromise promise) {
        return membership(promise, () -> Multicast.join(socket, multicastAddress, index(networkInterface), source));
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress) {
        return leaveGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return leaveGroup(multicastAddress, localInterface(), null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return leaveGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                    ChannelPromise promise) {
        return leaveGroup(multicastAddress.getAddress(), networkInterface, null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source) {
        return leaveGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source,
                                    ChannelPromise promise) {
        return membership(promise, () -> Multicast.leave(socket, multicastAddress, index(networkInterface), source));
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress sourceToBlock) {
        return block(multicastAddress, networkInterface, sourceToBlock, newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress sourceToBlock,
                               ChannelPromise promise) {
        if (sourceToBlock == null) {
            promise.setFailure(new NullPointerException("sourceToBlock"));
            return promise;
        }
        return membership(promise, () -> Multicast.block(socket, multicastAddress, index(networkInterface), sourceToBlock));
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock) {
        return block(multicastAddress, sourceToBlock, newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock, ChannelPromise promise) {
        return block(multicastAddress, localInterface(), sourceToBlock, promise);
    }

    /** The interface of the bound address, or null (the kernel picks by route) for a wildcard or unbound socket. */
    private NetworkInterface localInterface() {
        InetSocketAddress local = localAddress();
        if (local == null || local.getAddress().isAnyLocalAddress()) {
            return null;
        }
        try {
            return NetworkInterface.getByInetAddress(local.getAddress());
        } catch (IOException e) {
            return null;
        }
    }

    private static int index(NetworkInterface ni) {
        return ni == null ? 0 : ni.getIndex();
    }

    private interface MembershipChange {
        void run() throws IOException;
    }

    private ChannelFuture membership(ChannelPromise promise, MembershipChange change) {
        try {
            change.run();
            promise.setSuccess();
        } catch (Throwable t) {
            promise.setFailure(t);
        }
        return promise;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (receivesInFlight > 0 || inReadCompletion || isClosing() || !isOpen()) {
            // Starts when the receives in flight are done.
            return;
        }
        startReadLoop();
    }

    void autoReadCleared() {
        if (!isRegistered()) {
            return;
        }
        runOnLoop(() -> {
            readPending = false;
            // Stop waiting for datagrams nobody asked for; one that arrived first is still delivered.
            cancelReceives();
        });
    }

    private void startReadLoop() {
        unsafe().recvBufAllocHandle().reset(config);
        loopMessages = 0;
        loopError = null;
        submitReceives(1, 0);
    }

    private MsgOp receive(int i) {
        MsgOp r = receives[i];
        if (r == null) {
            r = new MsgOp(CONTROL_SIZE);
            receives[i] = r;
        }
        return r;
    }

    /** A round of {@code n} receives; the first of a loop waits (flags 0), the later ones MSG_DONTWAIT. */
    private void submitReceives(int n, int msgFlags) {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        ByteBufAllocator alloc = config.getAllocator();
        int maxPayload = config.getMaxDatagramPayloadSize();
        boolean gro = config.isUdpGro();
        roundSize = 0;
        roundData = 0;
        roundEmpty = false;
        roundCancelled = false;
        int fd = socket.fd();
        for (int i = 0; i < n; i++) {
            ByteBuf buf = handle.allocate(alloc);
            if (!DirectBuffers.hasAddress(buf)) {
                int capacity = Math.max(buf.writableBytes(), 1);
                buf.release();
                buf = alloc.directBuffer(capacity);
            }
            int length = buf.writableBytes();
            if (maxPayload > 0) {
                length = Math.min(length, maxPayload);
            }
            handle.attemptedBytesRead(length);
            MsgOp r = receive(i);
            r.prepareReceive(DirectBuffers.address(buf, buf.writerIndex()), length, !connected, gro ? CONTROL_SIZE : 0);
            r.op.prepareRecvmsg(fd, r.address(), msgFlags);
            r.buffer = buf;
            if (!submit(r.ops)) {
                r.takeBuffer().release();
                break;
            }
            receivesInFlight++;
            roundSize++;
        }
    }

    private void cancelReceives() {
        for (int i = 0; i < MAX_RECEIVES; i++) {
            MsgOp r = receives[i];
            if (r != null && r.op.isInFlight()) {
                cancel(r.ops);
            }
        }
    }

    private void receiveComplete(MsgOp r, int res) {
        receivesInFlight--;
        ByteBuf buf = r.takeBuffer();
        if (isClosing() || !isOpen()) {
            // Closing: the datagram (if any) is dropped, as a synchronous close would have dropped it.
            ReferenceCountUtil.safeRelease(buf);
            return;
        }
        inReadCompletion = true;
        try {
            if (res >= 0) {
                roundData++;
                received(r, buf, res);
            } else {
                buf.release();
                if (res == EAGAIN) {
                    roundEmpty = true;
                } else if (res == ECANCELED) {
                    roundCancelled = true;
                } else if (loopError == null) {
                    loopError = receiveError(res);
                }
            }
            if (receivesInFlight == 0) {
                roundDone();
            }
        } finally {
            inReadCompletion = false;
        }
        if (receivesInFlight == 0 && readPending && isOpen() && !isClosing() && isActive()) {
            startReadLoop();
        }
    }

    /** ICMP port unreachable on a connected socket: ECONNREFUSED on Linux, WSAECONNRESET (ECONNRESET) on Windows. */
    private boolean isPortUnreachable(int res) {
        return connected && (res == -Errno.ECONNREFUSED || res == -Errno.ECONNRESET);
    }

    private IOException receiveError(int res) {
        if (isPortUnreachable(res)) {
            PortUnreachableException e = new PortUnreachableException("recvmsg: " + Errno.name(-res)
                    + " (nothing listens at " + remoteAddress() + ")");
            e.initCause(ErrnoException.of("recvmsg", res));
            return e;
        }
        return ErrnoException.of("recvmsg", res);
    }

    private void received(MsgOp r, ByteBuf buf, int res) {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        buf.writerIndex(buf.writerIndex() + res);
        if ((r.messageFlags() & LinuxConstants.MSG_TRUNC) != 0 && logger.isDebugEnabled()) {
            logger.debug("{}: datagram truncated to the {} bytes of the read buffer", this, res);
        }
        // The receive asked for the sender unless the socket was connected when it was submitted.
        InetSocketAddress sender = (InetSocketAddress) r.sender();
        if (sender == null) {
            sender = remoteAddress();
        }
        InetSocketAddress recipient = localAddress();
        handle.lastBytesRead(Math.max(1, res)); // a zero-length datagram is a message, not the end of the data
        readPending = false;
        int segment = config.isUdpGro() ? groSegmentSize(r) : 0;
        ChannelPipeline pipeline = pipeline();
        if (segment <= 0 || segment >= res) {
            handle.incMessagesRead(1);
            loopMessages++;
            pipeline.fireChannelRead(new DatagramPacket(buf, recipient, sender));
            return;
        }
        // Coalesced by GRO: hand the datagrams over one by one, as they were sent.
        try {
            while (buf.isReadable()) {
                handle.incMessagesRead(1);
                loopMessages++;
                pipeline.fireChannelRead(new DatagramPacket(buf.readRetainedSlice(Math.min(segment, buf.readableBytes())),
                        recipient, sender));
            }
        } finally {
            buf.release();
        }
    }

    private static int groSegmentSize(MsgOp r) {
        int off = r.nextControl(-1, SocketOptions.IPPROTO_UDP, SocketOptions.UDP_GRO.optname());
        if (off < 0) {
            return 0;
        }
        return r.controlDataLength(off) >= 4 ? r.controlInt(off, 0) : r.controlUnsignedShort(off);
    }

    /** Every receive of a round has completed: read on with a larger round, or end the read loop. */
    private void roundDone() {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        if (roundData > 0 && !roundEmpty && !roundCancelled && loopError == null && isActive()
                && continueReading(handle)) {
            int next = roundData == roundSize ? roundSize * 2 : roundSize;
            int budget = maxMessagesPerRead() - loopMessages;
            submitReceives(Math.max(1, Math.min(Math.min(next, MAX_RECEIVES), budget)), LinuxConstants.MSG_DONTWAIT);
            if (receivesInFlight > 0) {
                return;
            }
        }
        if (roundCancelled && loopMessages == 0 && loopError == null) {
            return; // cancelled before anything arrived (autoRead turned off): no loop to end
        }
        handle.readComplete();
        pipeline().fireChannelReadComplete();
        Throwable error = loopError;
        loopError = null;
        if (error != null) {
            pipeline().fireExceptionCaught(error);
        }
    }

    /** Reading less than the buffer holds is normal for datagrams: only the message count and autoRead decide. */
    private static boolean continueReading(RecvByteBufAllocator.Handle handle) {
        return handle instanceof RecvByteBufAllocator.ExtendedHandle
                ? ((RecvByteBufAllocator.ExtendedHandle) handle).continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)
                : handle.continueReading();
    }

    private int maxMessagesPerRead() {
        RecvByteBufAllocator a = config.getRecvByteBufAllocator();
        return a instanceof MaxMessagesRecvByteBufAllocator ? ((MaxMessagesRecvByteBufAllocator) a).maxMessagesPerRead() : 1;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof SegmentedDatagramPacket) {
            if (!isSegmentedDatagramPacketSupported()) {
                throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                        + (com.sun.jna.Platform.isLinux() ? " (the kernel has no UDP_SEGMENT)"
                        : " (UDP GSO, UDP_SEGMENT, is Linux's: not available on " + System.getProperty("os.name") + ")")
                        + EXPECTED_TYPES);
            }
            SegmentedDatagramPacket p = (SegmentedDatagramPacket) msg;
            checkUnresolved(p.recipient());
            return DirectBuffers.hasAddress(p.content()) ? p : p.replace(directCopy(p.content(), p));
        }
        if (msg instanceof DatagramPacket) {
            DatagramPacket p = (DatagramPacket) msg;
            checkUnresolved(p.recipient());
            return DirectBuffers.hasAddress(p.content()) ? p
                    : new DatagramPacket(directCopy(p.content(), p), p.recipient(), p.sender());
        }
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return DirectBuffers.hasAddress(buf) ? buf : directCopy(buf, buf);
        }
        if (msg instanceof AddressedEnvelope) {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<Object, SocketAddress> e = (AddressedEnvelope<Object, SocketAddress>) msg;
            if (e.content() instanceof ByteBuf && (e.recipient() == null || e.recipient() instanceof InetSocketAddress)) {
                checkUnresolved(e.recipient());
                ByteBuf content = (ByteBuf) e.content();
                return DirectBuffers.hasAddress(content) ? e
                        : new DefaultAddressedEnvelope<>(directCopy(content, e), (InetSocketAddress) e.recipient());
            }
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    private static void checkUnresolved(SocketAddress address) {
        if (address instanceof InetSocketAddress && ((InetSocketAddress) address).isUnresolved()) {
            throw new UnresolvedAddressException();
        }
    }

    /** A direct copy of {@code content} the kernel can read in place; releases {@code holder}. */
    private ByteBuf directCopy(ByteBuf content, Object holder) {
        int readable = content.readableBytes();
        ByteBuf direct = config.getAllocator().directBuffer(readable);
        try {
            direct.writeBytes(content, content.readerIndex(), readable);
        } catch (Throwable t) {
            direct.release();
            throw t;
        }
        ReferenceCountUtil.safeRelease(holder);
        return direct;
    }

    private static ByteBuf contentOf(Object msg) {
        return msg instanceof AddressedEnvelope ? (ByteBuf) ((AddressedEnvelope<?, ?>) msg).content() : (ByteBuf) msg;
    }

    /** Called by flush0 only when no send is in flight (see {@link DatagramUnsafe#flush0()}). */
    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            if (!contentOf(msg).isReadable()) {
                // As epoll: an empty datagram is not sent.
                in.remove();
                continue;
            }
            SendCollector c = sendCollector;
            c.start(Math.min(MAX_SENDS, Math.max(1, maxMessagesPerWrite())));
            try {
                in.forEachFlushedMessage(c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (c.count == 0) {
                // The first datagram cannot be sent at all (no recipient, a recipient of the wrong family ...).
                in.remove(c.failure);
                continue;
            }
            int submitted = 0;
            for (int i = 0; i < c.count; i++) {
                if (!submit(sends[i].ops)) {
                    break;
                }
                submitted++;
            }
            sendCount = submitted;
            sendsInFlight = submitted;
            return;
        }
    }

    private MsgOp send(int i) {
        MsgOp s = sends[i];
        if (s == null) {
            s = new MsgOp(CONTROL_SIZE);
            sends[i] = s;
        }
        return s;
    }

    /** Prepares one SENDMSG per flushed datagram, in order; stops at an empty one or one that cannot be sent. */
    private final class SendCollector implements ChannelOutboundBuffer.MessageProcessor {
        private int max;
        int count;
        Throwable failure;

        void start(int max) {
            this.max = max;
            this.count = 0;
            this.failure = null;
        }

        @Override
        public boolean processMessage(Object msg) {
            ByteBuf data = contentOf(msg);
            if (!data.isReadable()) {
                return false;
            }
            try {
                prepareSend(send(count), msg, data);
            } catch (Throwable t) {
                failure = t;
                return false;
            }
            count++;
            return count < max;
        }
    }

    private void prepareSend(MsgOp s, Object msg, ByteBuf data) {
        SocketAddress recipient = msg instanceof AddressedEnvelope ? ((AddressedEnvelope<?, ?>) msg).recipient() : null;
        if (recipient == null && !connected) {
            throw new NotYetConnectedException();
        }
        s.prepareSend(DirectBuffers.address(data, data.readerIndex()), data.readableBytes(), socket, recipient);
        if (msg instanceof SegmentedDatagramPacket) {
            s.addControlShort(SocketOptions.IPPROTO_UDP, SocketOptions.UDP_SEGMENT.optname(),
                    ((SegmentedDatagramPacket) msg).segmentSize());
        }
        s.op.prepareSendmsg(socket.fd(), s.address(), 0);
    }

    private void sendComplete(MsgOp s, int res) {
        s.result = res;
        if (--sendsInFlight > 0) {
            return;
        }
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        int n = sendCount;
        sendCount = 0;
        if (in != null) {
            // Every send of the batch is done: only now may their ByteBufs be released, in the buffer's order.
            inWriteCompletion = true;
            try {
                for (int i = 0; i < n; i++) {
                    int r = sends[i].result;
                    if (r >= 0) {
                        in.remove();
                    } else if (r == ECANCELED || r == EAGAIN) {
                        break; // not sent: stays for the next flush (or the close that cancelled it)
                    } else {
                        // As epoll: one failed datagram fails its own write; the channel goes on.
                        in.remove(sendError(r));
                    }
                }
            } finally {
                inWriteCompletion = false;
            }
        }
        if (!isClosing()) {
            ((DatagramUnsafe) unsafe()).flush0();
        }
    }

    private IOException sendError(int res) {
        if (isPortUnreachable(res)) {
            PortUnreachableException e = new PortUnreachableException("sendmsg: " + Errno.name(-res));
            e.initCause(ErrnoException.of("sendmsg", res));
            return e;
        }
        return ErrnoException.of("sendmsg", res);
    }

    // ---- connecting -----------------------------------------------------------------------------------------

    private void connectComplete(int res) {
        ChannelPromise promise = connectPromise;
        connectPromise = null;
        if (promise == null || res == ECANCELED) {
            return;
        }
        if (res < 0) {
            promise.tryFailure(((DatagramUnsafe) unsafe()).annotate(ErrnoException.of("connect", res), requestedRemoteAddress));
            return;
        }
        boolean wasActive = isActive();
        connected = true;
        active = true;
        cacheLocalAddress();
        try {
            remote = socket.remoteAddress();
        } catch (IOException e) {
            remote = requestedRemoteAddress;
        }
        promise.trySuccess();
        if (!wasActive && isActive()) {
            pipeline().fireChannelActive();
        }
    }

    /** Whether a receive is in flight (the kernel may be writing a read buffer). Event loop only. */
    boolean isReadInFlight() {
        return receivesInFlight > 0;
    }

    /** Whether a receive into memory at {@code address} is in flight. Event loop only. */
    boolean isReceiveInFlightAt(long address) {
        for (MsgOp r : receives) {
            if (r != null && r.op.isInFlight() && r.iovBase() == address) {
                return true;
            }
        }
        return false;
    }

    /** Whether a send is in flight (the kernel may be reading outbound ByteBufs). Event loop only. */
    boolean isWriteInFlight() {
        return sendsInFlight > 0;
    }

    private final class DatagramUnsafe extends AbstractProactorUnsafe {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (isClosing()) {
                    throw new ClosedChannelException();
                }
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                if (connected) {
                    throw new AlreadyConnectedException();
                }
                checkResolvable(remoteAddress);
                if (localAddress != null) {
                    doBind(localAddress);
                }
                if (connectAddress == null) {
                    connectAddress = NativeBuffer.allocate(SocketAddresses.STORAGE_SIZE);
                }
                int len = socket.encode(remoteAddress, connectAddress.buffer(), 0);
                connectOp.prepareConnect(socket.fd(), connectAddress.address(), len);
                if (!submit(connectOps)) {
                    throw new ClosedChannelException();
                }
            } catch (Throwable t) {
                promise.tryFailure(annotateConnectException(t, remoteAddress));
                closeIfClosed();
                return;
            }
            connectPromise = promise;
            requestedRemoteAddress = remoteAddress;
        }

        Throwable annotate(Throwable t, SocketAddress remoteAddress) {
            return annotateConnectException(t, remoteAddress);
        }

        @Override
        protected void flush0() {
            // One batch of sends at a time, and never while the last one is being completed (remove() may re-enter).
            if (sendsInFlight > 0 || inWriteCompletion || isClosing()) {
                return;
            }
            super.flush0();
        }

        @Override
        void complete(Op op, int result, int flags) {
            if (op == connectOp) {
                connectComplete(result);
                return;
            }
            for (int i = 0; i < MAX_RECEIVES; i++) {
                MsgOp r = receives[i];
                if (r != null && r.op == op) {
                    receiveComplete(r, result);
                    return;
                }
            }
            for (int i = 0; i < MAX_SENDS; i++) {
                MsgOp s = sends[i];
                if (s != null && s.op == op) {
                    sendComplete(s, result);
                    return;
                }
            }
        }

        @Override
        boolean hasOpsInFlight() {
            return receivesInFlight > 0 || sendsInFlight > 0 || connectOp.isInFlight();
        }

        @Override
        void cancelOps() {
            cancelReceives();
            for (int i = 0; i < MAX_SENDS; i++) {
                MsgOp s = sends[i];
                if (s != null && s.op.isInFlight()) {
                    // A datagram the socket can take at once is still sent, as with a synchronous write before close.
                    cancel(s.ops);
                }
            }
            cancel(connectOps);
        }

        @Override
        void closeStarted() {
            ChannelPromise promise = connectPromise;
            if (promise != null) {
                connectPromise = null;
                promise.tryFailure(new ClosedChannelException());
            }
        }

        @Override
        void releaseAfterDriverClose() {
            for (int i = 0; i < MAX_RECEIVES; i++) {
                MsgOp r = receives[i];
                ByteBuf buf = r == null ? null : r.takeBuffer();
                if (buf != null) {
                    buf.release();
                }
            }
            receivesInFlight = 0;
            sendsInFlight = 0;
        }
    }
}
