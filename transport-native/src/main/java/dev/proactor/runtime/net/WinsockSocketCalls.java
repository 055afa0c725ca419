package dev.proactor.runtime.net;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.WinError;
import dev.proactor.runtime.iocp.Kernel32;
import dev.proactor.runtime.iocp.PortAssociations;
import dev.proactor.runtime.iocp.Ws2_32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link SocketCalls} through Winsock. Sockets are overlapped (for the IOCP driver), not inheritable and
 * non-blocking (FIONBIO: overlapped calls are unaffected, and the driver's MSG_DONTWAIT receive needs it).
 * SOCKET handles are kept in the runtime's {@code int} descriptors: Windows handles are 32-bit values
 * (sign-extended on 64-bit systems). Linux option numbers are translated; options Windows lacks fail with
 * ENOPROTOOPT. AF_UNIX is refused for now.
 */
final class WinsockSocketCalls implements SocketCalls {
    private static final ThreadLocal<NativeBuffer> SCRATCH = ThreadLocal.withInitial(() -> NativeBuffer.allocate(16));

    private static final int WIN_SOL_SOCKET = 0xffff;
    private static final int WIN_SO_ERROR = 0x1007;
    private static final int WIN_SO_LINGER = 0x80;

    /** Linux (level << 16 | optname) to Windows (level << 16 | optname). */
    private static final Map<Integer, Integer> OPTIONS = new HashMap<>();

    static {
        int sol = SocketOptions.SOL_SOCKET;
        map(sol, 2, WIN_SOL_SOCKET, 0x0004);      // SO_REUSEADDR
        map(sol, 9, WIN_SOL_SOCKET, 0x0008);      // SO_KEEPALIVE
        map(sol, 6, WIN_SOL_SOCKET, 0x0020);      // SO_BROADCAST
        map(sol, 7, WIN_SOL_SOCKET, 0x1001);      // SO_SNDBUF
        map(sol, 8, WIN_SOL_SOCKET, 0x1002);      // SO_RCVBUF
        map(sol, 4, WIN_SOL_SOCKET, WIN_SO_ERROR); // SO_ERROR
        map(sol, 3, WIN_SOL_SOCKET, 0x1008);      // SO_TYPE
        map(sol, 18, WIN_SOL_SOCKET, 0x1004);     // SO_RCVLOWAT
        map(sol, 30, WIN_SOL_SOCKET, 0x0002);     // SO_ACCEPTCONN
        map(sol, 13, WIN_SOL_SOCKET, WIN_SO_LINGER); // SO_LINGER
        int tcp = SocketOptions.IPPROTO_TCP;
        map(tcp, 1, tcp, 1);                      // TCP_NODELAY
        map(tcp, 2, tcp, 4);                      // TCP_MAXSEG
        map(tcp, 4, tcp, 3);                      // TCP_KEEPIDLE -> TCP_KEEPALIVE (seconds)
        map(tcp, 5, tcp, 17);                     // TCP_KEEPINTVL
        map(tcp, 6, tcp, 16);                     // TCP_KEEPCNT
        int ip = SocketOptions.IPPROTO_IP;
        map(ip, 1, ip, 3);                        // IP_TOS
        map(ip, 2, ip, 4);                        // IP_TTL
        map(ip, 33, ip, 10);                      // IP_MULTICAST_TTL
        map(ip, 34, ip, 11);                      // IP_MULTICAST_LOOP
        int ip6 = SocketOptions.IPPROTO_IPV6;
        map(ip6, 26, ip6, 27);                    // IPV6_V6ONLY
        map(ip6, 67, ip6, 39);                    // IPV6_TCLASS
        map(ip6, 18, ip6, 10);                    // IPV6_MULTICAST_HOPS
        map(ip6, 19, ip6, 11);                    // IPV6_MULTICAST_LOOP
    }

    private static void map(int linuxLevel, int linuxName, int level, int name) {
        OPTIONS.put(linuxLevel << 16 | linuxName, level << 16 | name);
    }

    WinsockSocketCalls() {
        if (!Ws2_32.AVAILABLE) {
            throw new IllegalStateException("Winsock is not usable", Ws2_32.UNAVAILABILITY_CAUSE);
        }
    }

    private static long handle(int fd) {
        return fd; // sign-extends, as Windows does for 32-bit handle values
    }

    @Override
    public int afInet6() {
        return Ws2_32.AF_INET6;
    }

    @Override
    public int open(int family, int type) throws IOException {
        if (family == Ws2_32.AF_UNIX) {
            throw new ErrnoException("socket(AF_UNIX): unix domain sockets are not supported on Windows by Proactor yet",
                    Errno.EAFNOSUPPORT, WinError.WSAEAFNOSUPPORT);
        }
        long s = Ws2_32.WSASocketW(family, type, 0, 0, 0, Ws2_32.WSA_FLAG_OVERLAPPED | Ws2_32.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == Ws2_32.INVALID_SOCKET) {
            throw ErrnoException.ofWindows("socket", Ws2_32.lastError());
        }
        int fd = (int) s;
        if (fd != s) {
            Ws2_32.closesocket(s);
            throw new IOException("socket handle 0x" + Long.toHexString(s) + " does not fit in 32 bits");
        }
        NativeBuffer scratch = SCRATCH.get();
        scratch.buffer().putInt(0, 1);
        if (Ws2_32.ioctlsocket(s, Ws2_32.FIONBIO, scratch.address()) != 0) {
            int e = Ws2_32.lastError();
            Ws2_32.closesocket(s);
            throw ErrnoException.ofWindows("ioctlsocket(FIONBIO)", e);
        }
        if (type == Ws2_32.SOCK_DGRAM) {
            Ws2_32.udpConnectionResets(s, false); // as Linux: no port-unreachable errors on an unconnected socket
        }
        return fd;
    }

    @Override
    public boolean canOpen(int family) {
        long s = Ws2_32.WSASocketW(family, Ws2_32.SOCK_STREAM, 0, 0, 0, Ws2_32.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == Ws2_32.INVALID_SOCKET) {
            return false;
        }
        Ws2_32.closesocket(s);
        return true;
    }

    @Override
    public void bind(int fd, long sockaddr, int length, Object addressForMessage) throws IOException {
        if (Ws2_32.bind(handle(fd), sockaddr, length) != 0) {
            throw ErrnoException.ofWindows("bind(" + addressForMessage + ")", Ws2_32.lastError());
        }
    }

    @Override
    public void listen(int fd, int backlog) throws IOException {
        if (Ws2_32.listen(handle(fd), backlog) != 0) {
            throw ErrnoException.ofWindows("listen", Ws2_32.lastError());
        }
    }

    @Override
    public int address(int fd, boolean local, long sockaddr, long lengthPtr) throws IOException {
        long s = handle(fd);
        int r = local ? Ws2_32.getsockname(s, sockaddr, lengthPtr) : Ws2_32.getpeername(s, sockaddr, lengthPtr);
        if (r != 0) {
            int e = Ws2_32.lastError();
            if (!local && e == WinError.WSAENOTCONN) {
                return -1;
            }
            throw ErrnoException.ofWindows(local ? "getsockname" : "getpeername", e);
        }
        return 0;
    }

    /** Options with a Winsock equivalent that this system answers (Wine, older Windows lack some), probed once. */
    @Override
    public boolean supports(NativeSocketOption<?> o) {
        return Probed.AVAILABLE.contains(o.level << 16 | o.optname);
    }

    private static final class Probed {
        static final java.util.Set<Integer> AVAILABLE = probe();

        private static java.util.Set<Integer> probe() {
            java.util.Set<Integer> available = new java.util.HashSet<>();
            NativeBuffer m = NativeBuffer.allocate(16);
            for (int family : new int[] {Ws2_32.AF_INET, Ws2_32.AF_INET6}) {
                for (int type : new int[] {Ws2_32.SOCK_STREAM, Ws2_32.SOCK_DGRAM}) {
                    long s = Ws2_32.WSASocketW(family, type, 0, 0, 0, Ws2_32.WSA_FLAG_NO_HANDLE_INHERIT);
                    if (s == Ws2_32.INVALID_SOCKET) {
                        continue;
                    }
                    for (Map.Entry<Integer, Integer> e : OPTIONS.entrySet()) {
                        int w = e.getValue();
                        m.buffer().putLong(0, 0L);
                        m.buffer().putInt(8, 8);
                        if (Ws2_32.getsockopt(s, w >>> 16, w & 0xffff, m.address(), m.address() + 8) == 0) {
                            available.add(e.getKey());
                        }
                    }
                    Ws2_32.closesocket(s);
                }
            }
            return java.util.Collections.unmodifiableSet(available);
        }
    }

    private static int windowsOption(NativeSocketOption<?> o, String call) throws IOException {
        Integer w = OPTIONS.get(o.level << 16 | o.optname);
        if (w == null) { // setting one that only failed the probe names Windows' own error
            throw new ErrnoException(call + "(" + o.name() + "): not available on Windows", Errno.ENOPROTOOPT,
                    WinError.WSAENOPROTOOPT);
        }
        return w;
    }

    @Override
    public void setOption(int fd, NativeSocketOption<?> o, int value) throws IOException {
        int w = windowsOption(o, "setsockopt");
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        int len = 4;
        if (o.kind == NativeSocketOption.Kind.LINGER) {
            b.putShort(0, (short) (value >= 0 ? 1 : 0)); // struct linger { u_short l_onoff; u_short l_linger; }
            b.putShort(2, (short) Math.min(Math.max(value, 0), 0xffff));
        } else {
            b.putInt(0, value);
        }
        if (Ws2_32.setsockopt(handle(fd), w >>> 16, w & 0xffff, s.address(), len) != 0) {
            throw ErrnoException.ofWindows("setsockopt(" + o.name() + ", " + value + ")", Ws2_32.lastError());
        }
    }

    @Override
    public int getOption(int fd, NativeSocketOption<?> o) throws IOException {
        int w = windowsOption(o, "getsockopt");
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        b.putLong(0, 0);
        b.putInt(8, 4);
        if (Ws2_32.getsockopt(handle(fd), w >>> 16, w & 0xffff, s.address(), s.address() + 8) != 0) {
            throw ErrnoException.ofWindows("getsockopt(" + o.name() + ")", Ws2_32.lastError());
        }
        if (o.kind == NativeSocketOption.Kind.LINGER) {
            return b.getShort(0) != 0 ? b.getShort(2) & 0xffff : -1;
        }
        if ((w & 0xffff) == WIN_SO_ERROR && (w >>> 16) == WIN_SOL_SOCKET) {
            int code = b.getInt(0);
            return code == 0 ? 0 : WinError.toErrno(code);
        }
        if (o.kind == NativeSocketOption.Kind.BOOLEAN) {
            return b.getInt(0) != 0 ? 1 : 0; // some are answered as a one-byte BOOLEAN: the rest stays zero
        }
        return b.getInt(0);
    }

    @Override
    public void setRawIntOption(int fd, int level, int optname, int value) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, value);
        if (Ws2_32.setsockopt(handle(fd), level, optname, s.address(), 4) != 0) {
            throw ErrnoException.ofWindows("setsockopt(level " + level + ", option " + optname + ")", Ws2_32.lastError());
        }
    }

    @Override
    public int getRawIntOption(int fd, int level, int optname) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, 0);
        s.buffer().putInt(8, 4);
        if (Ws2_32.getsockopt(handle(fd), level, optname, s.address(), s.address() + 8) != 0) {
            throw ErrnoException.ofWindows("getsockopt(level " + level + ", option " + optname + ")", Ws2_32.lastError());
        }
        return s.buffer().getInt(0);
    }

    @Override
    public boolean isWinsock() {
        return true;
    }

    @Override
    public void setRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException {
        if (Ws2_32.setsockopt(handle(fd), level, optname, value, length) != 0) {
            throw ErrnoException.ofWindows(what, Ws2_32.lastError());
        }
    }

    @Override
    public int getRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, length);
        if (Ws2_32.getsockopt(handle(fd), level, optname, value, s.address()) != 0) {
            throw ErrnoException.ofWindows(what, Ws2_32.lastError());
        }
        return s.buffer().getInt(0);
    }

    /** connect to an all-zero address dissolves a UDP socket's association; port-unreachable reports go off again. */
    @Override
    public void disconnect(int fd, int family) throws IOException {
        NativeBuffer any = NativeBuffer.allocate(32);
        any.buffer().putShort(0, (short) family);
        if (Ws2_32.connect(handle(fd), any.address(), family == Ws2_32.AF_INET6 ? 28 : 16) != 0) {
            throw ErrnoException.ofWindows("disconnect", Ws2_32.lastError());
        }
        Ws2_32.udpConnectionResets(handle(fd), false);
    }

    @Override
    public void shutdown(int fd, int how) throws IOException {
        if (Ws2_32.shutdown(handle(fd), how) != 0) {
            int e = Ws2_32.lastError();
            if (e != WinError.WSAENOTCONN) {
                throw ErrnoException.ofWindows("shutdown", e);
            }
        }
    }

    /**
     * closesocket. Drivers forget the number first (Windows reuses it at once); calls still pending on the socket
     * are cancelled first, as Windows does on close and Wine does not always.
     */
    @Override
    public void close(int fd) throws IOException {
        PortAssociations.handleClosed(fd);
        Kernel32.CancelIoEx(fd, 0);
        if (Ws2_32.closesocket(handle(fd)) != 0) {
            throw ErrnoException.ofWindows("closesocket", Ws2_32.lastError());
        }
    }
}
