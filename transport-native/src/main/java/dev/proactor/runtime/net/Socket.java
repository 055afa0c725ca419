package dev.proactor.runtime.net;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A Linux socket descriptor, always non-blocking and close-on-exec. The synchronous calls that are not I/O
 * (bind, listen, options, addresses) are made here; reads, writes, connects and accepts go through a
 * {@link dev.proactor.runtime.Driver}. The descriptor may be handed to a driver's close op with
 * {@link #detach()}, after which this object is closed and never touches the number again.
 */
public final class Socket implements Closeable {
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
        int fd = LibC.socket(family, type | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw ErrnoException.of("socket", LibC.errno());
        }
        return new Socket(fd, family, type);
    }

    /** A TCP socket; an IPv6 one accepts IPv4 peers too (IPV6_V6ONLY off). */
    public static Socket tcp(boolean ipv6) throws IOException {
        Socket s = open(ipv6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM);
        if (ipv6) {
            s.dualStack();
        }
        return s;
    }

    public static Socket udp(boolean ipv6) throws IOException {
        Socket s = open(ipv6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM);
        if (ipv6) {
            s.dualStack();
        }
        return s;
    }

    public static Socket unixStream() throws IOException {
        return open(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM);
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
            int fd = LibC.socket(LinuxConstants.AF_INET6, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC, 0);
            SUPPORTED = fd >= 0;
            if (fd >= 0) {
                LibC.close(fd);
            }
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
        return family == LinuxConstants.AF_INET6;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    /** Encodes {@code address} for this socket's family at {@code offset} of {@code buf}; returns its length. */
    public int encode(SocketAddress address, ByteBuffer buf, int offset) {
        if (family == LinuxConstants.AF_UNIX && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("a unix socket needs a UnixDomainSocketAddress, not " + address);
        }
        if (family != LinuxConstants.AF_UNIX && address instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException("an IP socket cannot use the unix address " + address);
        }
        return SocketAddresses.write(address, isIpv6(), buf, offset);
    }

    public void bind(SocketAddress address) throws IOException {
        NativeBuffer s = SCRATCH.get();
        int len = encode(address, s.buffer(), 0);
        if (LibC.bind(requireFd(), s.address(), len) != 0) {
            throw ErrnoException.of("bind(" + address + ")", LibC.errno());
        }
    }

    public void listen(int backlog) throws IOException {
        if (LibC.listen(requireFd(), backlog) != 0) {
            throw ErrnoException.of("listen", LibC.errno());
        }
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
        int r = local ? LibC.getsockname(requireFd(), s.address(), s.address() + SCRATCH_LEN)
                : LibC.getpeername(requireFd(), s.address(), s.address() + SCRATCH_LEN);
        if (r != 0) {
            int e = LibC.errno();
            if (!local && e == Errno.ENOTCONN) {
                return null;
            }
            throw ErrnoException.of(local ? "getsockname" : "getpeername", e);
        }
        int len = b.getInt(SCRATCH_LEN);
        if (family == LinuxConstants.AF_UNIX && len <= 2) {
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
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        int len = 4;
        switch (o.kind) {
            case BOOLEAN:
                b.putInt(0, (Boolean) value ? 1 : 0);
                break;
            case INT:
                b.putInt(0, (Integer) value);
                break;
            case LINGER:
                int secs = (Integer) value;
                b.putInt(0, secs >= 0 ? 1 : 0);
                b.putInt(4, Math.max(secs, 0));
                len = 8;
                break;
            default:
                throw new AssertionError(o.kind);
        }
        if (LibC.setsockopt(requireFd(), o.level, o.optname, s.address(), len) != 0) {
            throw ErrnoException.of("setsockopt(" + o.name() + ", " + value + ")", LibC.errno());
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> option) throws IOException {
        NativeSocketOption<T> o = SocketOptions.toNative(option);
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        b.putLong(0, 0);
        b.putInt(SCRATCH_LEN, o.kind == NativeSocketOption.Kind.LINGER ? 8 : 4);
        if (LibC.getsockopt(requireFd(), o.level, o.optname, s.address(), s.address() + SCRATCH_LEN) != 0) {
            throw ErrnoException.of("getsockopt(" + o.name() + ")", LibC.errno());
        }
        switch (o.kind) {
            case BOOLEAN:
                return (T) Boolean.valueOf(b.getInt(0) != 0);
            case INT:
                return (T) Integer.valueOf(b.getInt(0));
            default:
                return (T) Integer.valueOf(b.getInt(0) != 0 ? b.getInt(4) : -1);
        }
    }

    /** setsockopt with a raw int value, for options the runtime does not name. */
    public void setRawIntOption(int level, int optname, int value) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, value);
        if (LibC.setsockopt(requireFd(), level, optname, s.address(), 4) != 0) {
            throw ErrnoException.of("setsockopt(level " + level + ", option " + optname + ")", LibC.errno());
        }
    }

    public int getRawIntOption(int level, int optname) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, 0);
        s.buffer().putInt(SCRATCH_LEN, 4);
        if (LibC.getsockopt(requireFd(), level, optname, s.address(), s.address() + SCRATCH_LEN) != 0) {
            throw ErrnoException.of("getsockopt(level " + level + ", option " + optname + ")", LibC.errno());
        }
        return s.buffer().getInt(0);
    }

    /** The pending error (SO_ERROR), cleared by reading: 0 or a positive errno. */
    public int takeError() throws IOException {
        return getOption(SocketOptions.SO_ERROR);
    }

    /** Synchronous shutdown(2): {@link LinuxConstants#SHUT_RD}, SHUT_WR or SHUT_RDWR. */
    public void shutdown(int how) throws IOException {
        if (LibC.shutdown(requireFd(), how) != 0) {
            int e = LibC.errno();
            if (e != Errno.ENOTCONN) {
                throw ErrnoException.of("shutdown", e);
            }
        }
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

    /** Synchronous close(2); idempotent. */
    @Override
    public void close() throws IOException {
        int f = detach();
        if (f >= 0 && LibC.close(f) != 0) {
            int e = LibC.errno();
            if (e != Errno.EINTR) {
                throw ErrnoException.of("close", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Socket[fd=" + fd + "]";
    }
}
