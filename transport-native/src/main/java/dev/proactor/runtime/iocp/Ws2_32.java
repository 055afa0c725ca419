package dev.proactor.runtime.iocp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.WinError;

/**
 * The Winsock calls of the IOCP driver and of Windows sockets, through JNA direct mapping. SOCKETs are
 * passed as {@code long}; a call that returns SOCKET_ERROR (-1) or INVALID_SOCKET leaves its WSA error in
 * {@link #lastError()} (Winsock's error is the thread's Win32 last error, saved by JNA after the call).
 * WSAStartup is called once when the class loads.
 */
public final class Ws2_32 {
    public static final boolean AVAILABLE;
    public static final Throwable UNAVAILABILITY_CAUSE;

    public static final int SOCKET_ERROR = -1;
    public static final long INVALID_SOCKET = -1L;

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;

    public static final int WSA_FLAG_OVERLAPPED = 0x01;
    public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;

    public static final int SOL_SOCKET = 0xffff;
    public static final int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    public static final int SO_UPDATE_CONNECT_CONTEXT = 0x7010;
    public static final int SO_TYPE = 0x1008;

    public static final int FIONBIO = 0x8004667E;
    public static final int FIONREAD = 0x4004667F;
    public static final int SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;
    /** _WSAIOW(IOC_VENDOR, 12): whether a UDP socket reports ICMP port-unreachable as WSAECONNRESET. */
    public static final int SIO_UDP_CONNRESET = 0x9800000C;

    public static final int MSG_OOB = 1;
    public static final int MSG_PEEK = 2;
    public static final int MSG_DONTROUTE = 4;
    public static final int MSG_WAITALL = 8;
    public static final int MSG_TRUNC = 0x100;
    public static final int MSG_CTRUNC = 0x200;

    public static final short POLLRDNORM = 0x0100;
    public static final short POLLRDBAND = 0x0200;
    public static final short POLLWRNORM = 0x0010;
    public static final short POLLERR = 0x0001;
    public static final short POLLHUP = 0x0002;
    public static final short POLLNVAL = 0x0004;

    static {
        Throwable cause = null;
        if (Platform.isWindows()) {
            try {
                Native.register(Ws2_32.class, NativeLibrary.getInstance("ws2_32"));
                int r = WSAStartup((short) 0x0202, NativeBuffer.allocate(512).address()); // WSADATA, not read
                if (r != 0) {
                    cause = new IllegalStateException("WSAStartup failed: " + WinError.describe(r));
                }
            } catch (Throwable t) {
                cause = t;
            }
        } else {
            cause = new UnsupportedOperationException("not Windows: " + System.getProperty("os.name"));
        }
        AVAILABLE = cause == null;
        UNAVAILABILITY_CAUSE = cause;
    }

    private Ws2_32() {
    }

    /** The WSA error of the last failed call on this thread. */
    public static int lastError() {
        return Native.getLastError();
    }

    static native int WSAStartup(short version, long wsaData);

    public static native long WSASocketW(int af, int type, int protocol, long protocolInfo, int group, int flags);

    public static native int bind(long s, long sockaddr, int length);

    /** Synchronous connect: for UDP sockets (it only sets the peer); TCP sockets use ConnectEx. */
    public static native int connect(long s, long sockaddr, int length);

    public static native int listen(long s, int backlog);

    public static native int getsockname(long s, long sockaddr, long lengthPtr);

    public static native int getpeername(long s, long sockaddr, long lengthPtr);

    public static native int setsockopt(long s, int level, int name, long value, int length);

    public static native int getsockopt(long s, int level, int name, long value, long lengthPtr);

    public static native int shutdown(long s, int how);

    public static native int closesocket(long s);

    public static native int ioctlsocket(long s, int command, long argPtr);

    public static native int WSAIoctl(long s, int code, long in, int inLength, long out, int outLength, long returnedPtr,
                                      long overlapped, long completionRoutine);

    public static native int WSARecv(long s, long wsabufs, int count, long receivedPtr, long flagsPtr, long overlapped,
                                     long completionRoutine);

    public static native int WSASend(long s, long wsabufs, int count, long sentPtr, int flags, long overlapped,
                                     long completionRoutine);

    public static native int WSARecvFrom(long s, long wsabufs, int count, long receivedPtr, long flagsPtr, long from,
                                         long fromLengthPtr, long overlapped, long completionRoutine);

    public static native int WSASendTo(long s, long wsabufs, int count, long sentPtr, int flags, long to, int toLength,
                                       long overlapped, long completionRoutine);

    public static native int recv(long s, long buffer, int length, int flags);

    public static native int send(long s, long buffer, int length, int flags);

    public static native int WSAPoll(long fds, int count, int timeoutMillis);

    /**
     * SIO_UDP_CONNRESET: on by default in Windows, where even an unconnected UDP socket's next receive fails with
     * WSAECONNRESET after one of its datagrams met a closed port. Sockets turn it off when opened and on when
     * connected, which is what Linux reports (ECONNREFUSED on connected sockets only). Returns whether it was set.
     */
    public static boolean udpConnectionResets(long s, boolean on) {
        NativeBuffer m = NativeBuffer.allocate(16);
        m.buffer().putInt(0, on ? 1 : 0);
        return WSAIoctl(s, SIO_UDP_CONNRESET, m.address(), 4, 0, 0, m.address() + 8, 0, 0) == 0;
    }
}
