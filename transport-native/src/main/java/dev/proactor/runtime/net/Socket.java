package dev.proactor.runtime.net;

import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A socket descriptor, always non-blocking (and close-on-exec on Linux; overlapped and not inheritable on
 * Windows, where the descriptor is the SOCKET handle's value). The synchronous calls that are not I/O (bind,
 * listen, options, addresses) are made here through the system's {@link SocketCalls}; reads, writes,
 * connects and accepts go through a {@link dev.proactor.runtime.Driver}. The descriptor may be handed to a
 * driver's close op with {@link #detach()}, after which this object is closed and never touches the number
 * again. Families and option numbers are the running system's ({@link #family()} is 23 for IPv6 on Windows);
 * {@link SocketOptions} are translated.
 */
public final class Socket implements Closeable {
    private static final SocketCalls CALLS = SocketCalls.CURRENT;
    private static final ThreadLocal<NativeBuffer> SCRATCH = ThreadLocal.withInitial(() -> NativeBuffer.allocate(256));
    private static final int SCRATCH_LEN = 200;

    private volatile int fd;
    private final int family;
    private final int type;

    private Socket(int fd, int family, int type) {
        this.fd = fd;
        this.family = family;
        this.type = type;
    }

    /** A new socket: {@code family} AF_INET, AF_INET6 or AF_UNIX; {@code type} SOCK_STREAM or SOCK_DGRAM. */
    public static Socket open(int family, int type) throws IOException {
        return new Socket(CALLS.open(family, type), family, type);
    }

    /** A TCP socket; an IPv6 one accepts IPv4 peers too (IPV6_V6ONLY off). */
    public static Socket tcp(boolean ipv6) throws IOException {
        Socket s = open(ipv6 ? CALLS.afInet6() : LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM);
        if (ipv6) {
            s.dualStack();
        }
        return s;
    }

    public static Socket udp(boolean ipv6) throws IOException {
        Socket s = open(ipv6 ? CALLS.afInet6() : LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM);
        if (ipv6) {
            s.dualStack();
        }
        return s;
    }

    public static Socket unixStream() throws IOException {
        return open(CALLS.afUnix(), LinuxConstants.SOCK_STREAM);
    }

    /** Wraps a descriptor returned by accept (already non-blocking when the driver accepted it). */
    public static Socket adopt(int fd, int family, int type) {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid descriptor " + fd);
        }
        return new Socket(fd, family, type);
    }

    private void dualStack() throws IOException {
        try {
            setOption(SocketOptions.IPV6_V6ONLY, false);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Whether this host can open AF_INET6 sockets. */
    public static boolean isIpv6Supported() {
        return Ipv6.SUPPORTED;
    }

    private static final class Ipv6 {
        static final boolean SUPPORTED;

        static {
            SUPPORTED = CALLS.canOpen(CALLS.afInet6());
        }
    }

    /** The descriptor, or -1 once closed. */
    public int fd() {
        return fd;
    }

    /** The descriptor; throws if closed. */
    public int requireFd() throws ClosedChannelException {
        int f = fd;
        if (f < 0) {
            throw new ClosedChannelException();
        }
        return f;
    }

    public int family() {
        return family;
    }

    public int type() {
        return type;
    }

    public boolean isIpv6() {
        return family == CALLS.afInet6();
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    /** Encodes {@code address} for this socket's family at {@code offset} of {@code buf}; returns its length. */
    public int encode(SocketAddress address, ByteBuffer buf, int offset) {
        if (family == CALLS.afUnix() && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("a unix socket needs a UnixDomainSocketAddress, not " + address);
        }
        if (family != CALLS.afUnix() && address instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException("an IP socket cannot use the unix address " + address);
        }
        return SocketAddresses.write(address, isIpv6(), buf, offset);
    }

    public void bind(SocketAddress address) throws IOException {
        NativeBuffer s = SCRATCH.get();
        int len = encode(address, s.buffer(), 0);
        CALLS.bind(requireFd(), s.address(), len, address);
    }

    public void listen(int backlog) throws IOException {
        CALLS.listen(requireFd(), backlog);
    }

    /** A blocking-free connect attempt, for drivers that emulate CONNECT: returns 0 or -errno. */
    public SocketAddress localAddress() throws IOException {
        return address(true);
    }

    /** The peer's address, or null if not connected. */
    public SocketAddress remoteAddress() throws IOException {
        return address(false);
    }

    private SocketAddress address(boolean local) throws IOException {
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        b.putInt(SCRATCH_LEN, SocketAddresses.STORAGE_SIZE);
        if (CALLS.address(requireFd(), local, s.address(), s.address() + SCRATCH_LEN) < 0) {
            return null;
        }
        int len = b.getInt(SCRATCH_LEN);
        if (family == CALLS.afUnix() && len <= 2) {
            return null;
        }
        return SocketAddresses.read(b, 0, len);
    }

    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        NativeSocketOption<T> o = SocketOptions.toNative(option);
        if (value == null) {
            throw new IllegalArgumentException("null value for " + option.name());
        }
        SocketOptions.checkValue(o, value);
        int v;
        switch (o.kind) {
            case BOOLEAN:
                v = (Boolean) value ? 1 : 0;
                break;
            case INT:
            case LINGER:
                v = (Integer) value;
                break;
            default:
                throw new AssertionError(o.kind);
        }
        CALLS.setOption(requireFd(), o, v);
    }

    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> option) throws IOException {
        NativeSocketOption<T> o = SocketOptions.toNative(option);
        int v = CALLS.getOption(requireFd(), o);
        return o.kind == NativeSocketOption.Kind.BOOLEAN ? (T) Boolean.valueOf(v != 0) : (T) Integer.valueOf(v);
    }

    /** setsockopt with a raw int value, for options the runtime does not name (this system's own numbers). */
    public void setRawIntOption(int level, int optname, int value) throws IOException {
        CALLS.setRawIntOption(requireFd(), level, optname, value);
    }

    public int getRawIntOption(int level, int optname) throws IOException {
        return CALLS.getRawIntOption(requireFd(), level, optname);
    }

    /** The pending error (SO_ERROR), cleared by reading: 0 or a positive errno. */
    public int takeError() throws IOException {
        return getOption(SocketOptions.SO_ERROR);
    }

    /** Synchronous shutdown(2): {@link LinuxConstants#SHUT_RD}, SHUT_WR or SHUT_RDWR. */
    public void shutdown(int how) throws IOException {
        CALLS.shutdown(requireFd(), how);
    }

    /**
     * Gives up the descriptor (for a driver's CLOSE op) and marks this socket closed.
     *
     * @return the descriptor, or -1 if already closed
     */
    public synchronized int detach() {
        int f = fd;
        fd = -1;
        return f;
    }

    /** Synchronous close(2) (closesocket on Windows); idempotent. */
    @Override
    public void close() throws IOException {
        int f = detach();
        if (f >= 0) {
            CALLS.close(f);
        }
    }

    @Override
    public String toString() {
        return "Socket[fd=" + fd + "]";
    }
}
